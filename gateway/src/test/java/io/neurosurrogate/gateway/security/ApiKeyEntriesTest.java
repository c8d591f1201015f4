package io.neurosurrogate.gateway.security;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyEntriesTest {
    private static final String HASH = "fc41b083046fcf71a01b39d65c303a149e41189af51af5c1c98b38482c20d8a9";

    @Test
    void readsIdsScopesAndOwnLimitsSkippingCommentsAndBlankLines() {
        ApiKeyEntries.Parsed parsed = ApiKeyEntries.parse("file", List.of("# keys", "", "ci:" + HASH + ":predict+train:rps=2.5:burst=5:streams=3",
                "ops:" + HASH.toUpperCase() + ":admin", "revoked:old-key"));

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.keys()).extracting(ApiKey::id).containsExactly("ci", "ops");
        ApiKey ci = parsed.keys().get(0);
        assertThat(ci.scopes()).containsExactlyInAnyOrder(Scope.PREDICT, Scope.TRAIN);
        assertThat(ci.limits().requestsPerSecond()).isEqualTo(OptionalDouble.of(2.5));
        assertThat(ci.limits().burst()).isEqualTo(OptionalInt.of(5));
        assertThat(ci.limits().maxStreams()).isEqualTo(OptionalInt.of(3));
        assertThat(parsed.keys().get(1).limits().requestsPerSecond()).isEmpty();
        assertThat(parsed.revokedIds()).containsExactly("old-key");
    }

    @Test
    void adminAllowsEveryScopeAndOtherScopesOnlyThemselves() {
        ApiKeyEntries.Parsed parsed = ApiKeyEntries.parse("inline", List.of("a:" + HASH + ":admin", "p:" + HASH + ":predict"));

        assertThat(parsed.keys().get(0).allows(Scope.TRAIN)).isTrue();
        assertThat(parsed.keys().get(1).allows(Scope.PREDICT)).isTrue();
        assertThat(parsed.keys().get(1).allows(Scope.TRAIN)).isFalse();
        assertThat(parsed.keys().get(1).allows(Scope.ADMIN)).isFalse();
    }

    @Test
    void badLinesAreReportedByNumberWithoutQuotingTheirText() {
        String pastedKey = "nsk_this_is_a_real_key_pasted_by_mistake";
        ApiKeyEntries.Parsed parsed = ApiKeyEntries.parse("file", List.of("ok:" + HASH + ":predict", "ci:" + pastedKey + ":predict",
                "x:" + HASH + ":superuser", "ok:" + HASH + ":train", "y:" + HASH + ":predict:qps=3", "just-text"));

        assertThat(parsed.keys()).extracting(ApiKey::id).containsExactly("ok");
        assertThat(parsed.problems()).hasSize(5);
        assertThat(parsed.problems().get(0)).startsWith("file entry 2: key 'ci': the second field must be the 64 hex digits");
        assertThat(parsed.problems().get(1)).startsWith("file entry 3: unknown scope 'superuser'");
        assertThat(parsed.problems().get(2)).isEqualTo("file entry 4: key id 'ok' is listed twice");
        assertThat(parsed.problems().get(3)).startsWith("file entry 5: key 'y': unknown field 'qps'");
        assertThat(parsed.problems()).allSatisfy(p -> assertThat(p).doesNotContain(pastedKey));
    }
}
