package io.neurosurrogate.e2e;

import io.neurosurrogate.client.NeuroSurrogateClient;
import io.neurosurrogate.core.Topics;
import io.neurosurrogate.core.trace.SimulationTrace;
import io.neurosurrogate.proto.v1.DatasetInfo;
import io.neurosurrogate.proto.v1.DatasetRequest;
import io.neurosurrogate.proto.v1.SimulateRequest;
import io.neurosurrogate.proto.v1.SimulationMetadata;
import io.neurosurrogate.proto.v1.TraceChunk;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A poisoned record on the traces topic goes to the dead-letter topic and ingestion goes on. */
@ExtendWith(LocalStackExtension.class)
class PoisonedRecordTest {

    @Test
    void poisonedTraceRecordIsDeadLetteredAndLaterRecordsAreStillIngested() throws Exception {
        ProcessLocalStack stack = LocalStackExtension.stack();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String poisonKey = "poison-" + tag;
        String campaignId = "c-poison" + tag;
        byte[] garbage = new byte[512];
        new Random(42).nextBytes(garbage);

        try (NeuroSurrogateClient client = new NeuroSurrogateClient(stack.gatewayAddress(), stack.apiKey());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", stack.kafkaBootstrapServers(),
                     "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
            // A real simulation, re-labelled so that it is ours alone, sent after the poison on the same key's partition.
            SimulationTrace sim = SimulationTrace.fromChunks(List.of(client.simulate(SimulateRequest.newBuilder().setNeuronModel("iaf")
                    .setDurationMs(2000).setSeed(99).build()).getTrace()));
            SimulationMetadata meta = sim.meta().toBuilder().setCampaignId(campaignId).setSimulationId(poisonKey).build();
            SimulationTrace relabelled = new SimulationTrace(meta, spikes(sim), sim.somaMv(), sim.outputSpikeTimesMs());

            producer.send(new ProducerRecord<>(Topics.TRACES, poisonKey, garbage)).get();
            TraceChunk wrongIndex = relabelled.toChunks(1000).get(0).toBuilder().setChunkIndex(7).build();
            producer.send(new ProducerRecord<>(Topics.TRACES, poisonKey, wrongIndex.toByteArray())).get();
            for (TraceChunk c : relabelled.toChunks(500)) {
                producer.send(new ProducerRecord<>(Topics.TRACES, poisonKey, c.toByteArray())).get();
            }

            DatasetInfo info = DatasetInfo.getDefaultInstance();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (info.getCompleteSimulations() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(250);
                info = client.stub().getDataset(DatasetRequest.newBuilder().setNeuronModel("iaf").setCampaignId(campaignId).build());
            }
            assertThat(info.getCompleteSimulations()).as("the valid simulation after the poison is ingested").isEqualTo(1);

            List<ConsumerRecord<String, byte[]>> dead = TraceTopicReader.readAll(stack.kafkaBootstrapServers(), Topics.DEAD_LETTER,
                    rs -> rs.stream().filter(r -> poisonKey.equals(r.key())).count() >= 2, Duration.ofSeconds(30));
            List<ConsumerRecord<String, byte[]>> ours = dead.stream().filter(r -> poisonKey.equals(r.key())).toList();
            assertThat(ours).hasSize(2);
            assertThat(ours.get(0).value()).isEqualTo(garbage);
            for (ConsumerRecord<String, byte[]> r : ours) {
                Header reason = r.headers().lastHeader(Topics.HEADER_DLQ_REASON);
                assertThat(reason).as("dead-letter reason header").isNotNull();
                assertThat(new String(reason.value(), StandardCharsets.UTF_8)).isNotBlank();
                assertThat(new String(r.headers().lastHeader(Topics.HEADER_DLQ_SOURCE_TOPIC).value(), StandardCharsets.UTF_8))
                        .isEqualTo(Topics.TRACES);
            }
        }
    }

    private static int[][] spikes(SimulationTrace t) {
        int[][] out = new int[t.synapses()][];
        for (int s = 0; s < out.length; s++) {
            out[s] = t.spikeBins(s);
        }
        return out;
    }
}
