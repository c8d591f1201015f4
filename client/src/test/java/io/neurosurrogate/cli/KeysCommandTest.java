package io.neurosurrogate.cli;

import io.neurosurrogate.client.ApiKeys;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

class KeysCommandTest {

    @Test
    void keysNewPrintsAFreshKeyAndTheEntryHoldingItsHash() {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new Nsurr()).setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
                .execute("keys", "new", "--id", "ci", "--scopes", "predict,train");

        assertThat(code).isZero();
        String[] lines = out.toString().strip().split("\\R");
        assertThat(lines).hasSize(2);
        String key = lines[0].substring("key   ".length());
        assertThat(key).matches("nsk_[A-Za-z0-9_-]{32}");
        assertThat(lines[1]).isEqualTo("entry ci:" + ApiKeys.hash(key) + ":predict+train").doesNotContain(key);
    }

    @Test
    void anUnknownScopeIsRefused() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Nsurr()).setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err))
                .execute("keys", "new", "--scopes", "predict,root");

        assertThat(code).isNotZero();
    }
}
