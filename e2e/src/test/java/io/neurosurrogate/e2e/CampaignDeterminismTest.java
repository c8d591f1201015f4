package io.neurosurrogate.e2e;

import io.neurosurrogate.client.NeuroSurrogateClient;
import io.neurosurrogate.core.Topics;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.CampaignState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Same campaign seed, same traces: checked on what actually travelled over Kafka. */
@ExtendWith(LocalStackExtension.class)
class CampaignDeterminismTest {

    @Test
    void sameSeedGivesIdenticalTracesOnKafkaAndAnotherSeedDoesNot() throws Exception {
        ProcessLocalStack stack = LocalStackExtension.stack();
        try (NeuroSurrogateClient client = new NeuroSurrogateClient(stack.gatewayAddress(), stack.apiKey())) {
            CampaignSpec spec = CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(4).setDurationMs(3000).setChunkMs(700)
                    .setSeed(20211).setName("determinism").build();
            Campaign a = client.awaitCampaign(client.startCampaign(spec).getCampaignId(), c -> { });
            Campaign b = client.awaitCampaign(client.startCampaign(spec).getCampaignId(), c -> { });
            Campaign other = client.awaitCampaign(client.startCampaign(spec.toBuilder().setSeed(20212).build()).getCampaignId(), c -> { });
            assertThat(a.getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_SUCCEEDED);
            assertThat(b.getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_SUCCEEDED);
            assertThat(a.getCampaignId()).isNotEqualTo(b.getCampaignId());

            var records = TraceTopicReader.readAll(stack.kafkaBootstrapServers(), Topics.TRACES, rs -> {
                try {
                    return TraceTopicReader.campaignTraces(rs, a.getCampaignId()).size() == 4
                            && TraceTopicReader.campaignTraces(rs, b.getCampaignId()).size() == 4
                            && TraceTopicReader.campaignTraces(rs, other.getCampaignId()).size() == 4;
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofSeconds(60));
            Map<Integer, SimulationTrace> ta = TraceTopicReader.campaignTraces(records, a.getCampaignId());
            Map<Integer, SimulationTrace> tb = TraceTopicReader.campaignTraces(records, b.getCampaignId());
            Map<Integer, SimulationTrace> tc = TraceTopicReader.campaignTraces(records, other.getCampaignId());
            assertThat(ta).hasSize(4);
            assertThat(tb).hasSize(4);
            assertThat(tc).hasSize(4);
            for (int i = 0; i < 4; i++) {
                SimulationTrace x = ta.get(i);
                SimulationTrace y = tb.get(i);
                assertThat(y.somaMv()).isEqualTo(x.somaMv());
                assertThat(y.outputSpikeTimesMs()).isEqualTo(x.outputSpikeTimesMs());
                assertThat(y.meta().getSeed()).isEqualTo(x.meta().getSeed());
                for (int s = 0; s < x.synapses(); s++) {
                    assertThat(y.spikeBins(s)).isEqualTo(x.spikeBins(s));
                }
                assertThat(x.inputSpikeCount()).isPositive();
                assertThat(tc.get(i).somaMv()).isNotEqualTo(x.somaMv());
            }
        }
    }
}
