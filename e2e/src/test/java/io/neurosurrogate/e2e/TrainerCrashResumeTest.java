package io.neurosurrogate.e2e;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.neurosurrogate.client.IafPipeline;
import io.neurosurrogate.client.NeuroSurrogateClient;
import io.neurosurrogate.proto.v1.Architecture;
import io.neurosurrogate.proto.v1.Campaign;
import io.neurosurrogate.proto.v1.CampaignSpec;
import io.neurosurrogate.proto.v1.CampaignState;
import io.neurosurrogate.proto.v1.GetTrainingJobRequest;
import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.ModelVersion;
import io.neurosurrogate.proto.v1.TrainingConfig;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trainer killed with SIGKILL in the middle of a job takes the job up again after its restart and
 * trains on from the checkpoint of its last finished epoch: no epoch is trained twice and the job
 * still ends with a usable model. Runs on a stack of its own, so the crash disturbs no other test.
 */
class TrainerCrashResumeTest {
    private static final String RESUMING = "resuming after a trainer restart";
    private static final int SIMS = 16;
    private static final int EPOCHS = 6;

    private static ProcessLocalStack stack;

    @BeforeAll
    static void startOwnStack() throws Exception {
        stack = ProcessLocalStack.start(line -> System.out.println("[crash-stack] " + line));
    }

    @AfterAll
    static void stopOwnStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void jobOfAKilledTrainerResumesAfterItsLastCheckpointAndSucceeds() throws Exception {
        Path trainerLog = stack.workDir().resolve("logs").resolve("trainer.log");
        try (NeuroSurrogateClient client = new NeuroSurrogateClient(stack.gatewayAddress(), stack.apiKey())) {
            Campaign campaign = client.awaitCampaign(client.startCampaign(CampaignSpec.newBuilder().setNeuronModel("iaf").setCount(SIMS)
                    .setDurationMs(3000).setSeed(314).setName("crash-resume").build()).getCampaignId(), c -> { });
            assertThat(campaign.getState()).isEqualTo(CampaignState.CAMPAIGN_STATE_SUCCEEDED);

            // 16 simulations: 3 test, 2 validation, 11 training. 256 windows of 500 ms make an epoch of
            // several seconds on two cores, so the kill lands inside a job that is still training.
            String jobId = client.startTraining(TrainingJobSpec.newBuilder().setModelName("iaf-crash").setNeuronModel("iaf")
                    .setCampaignId(campaign.getCampaignId()).setMinSimulations(SIMS)
                    .setArchitecture(Architecture.newBuilder().setPreset("iaf-1x1"))
                    .setConfig(TrainingConfig.newBuilder().setEpochs(EPOCHS).setWindowsPerEpoch(256).setSeed(27)
                            .setValidationFraction(0.1).setTestFraction(0.2))
                    .build()).getJobId();

            TrainingProgress atKill = awaitEpoch(client, jobId, 2, Duration.ofMinutes(3));
            assertThat(atKill.getState()).as("still training when the trainer is killed: %s", IafPipeline.describe(atKill))
                    .isEqualTo(JobState.JOB_STATE_TRAINING);
            stack.crashAndRestart("trainer");

            List<TrainingProgress> history = watchToEnd(client, jobId, Duration.ofMinutes(3));
            history.forEach(p -> System.out.println("   " + IafPipeline.describe(p)));
            TrainingProgress last = history.get(history.size() - 1);
            assertThat(last.getState()).as("job end (%s; trainer log %s)", last.getError(), trainerLog).isEqualTo(JobState.JOB_STATE_SUCCEEDED);

            List<Integer> restarts = IntStream.range(0, history.size()).filter(i -> RESUMING.equals(history.get(i).getMessage())).boxed().toList();
            assertThat(restarts).as("the restarted trainer queues the job again, once").hasSize(1);
            List<TrainingProgress> beforeCrash = history.subList(0, restarts.get(0));
            List<TrainingProgress> afterRestart = history.subList(restarts.get(0) + 1, history.size());
            int lastEpochBeforeCrash = trainedEpochs(beforeCrash).stream().mapToInt(TrainingProgress::getEpoch).max().orElse(0);
            assertThat(lastEpochBeforeCrash).isGreaterThanOrEqualTo(atKill.getEpoch());
            assertThat(afterRestart).extracting(TrainingProgress::getMessage).noneMatch(m -> m.startsWith("training started"));

            List<TrainingProgress> epochsAfter = trainedEpochs(afterRestart);
            assertThat(epochsAfter).as("training progress after the restart").isNotEmpty();
            TrainingProgress resumed = epochsAfter.get(0);
            int from = resumed.getResumedFromEpoch();
            // The checkpoint is written before an epoch's progress is reported: a kill in between resumes one epoch later.
            assertThat(from).as("resumed from the checkpoint of the last finished epoch").isGreaterThanOrEqualTo(2)
                    .isBetween(lastEpochBeforeCrash, lastEpochBeforeCrash + 1);
            assertThat(resumed.getEpoch()).isEqualTo(from);
            assertThat(resumed.getMessage()).startsWith("resumed from the checkpoint of epoch " + from + ";");
            List<TrainingProgress> trainedAgain = epochsAfter.subList(1, epochsAfter.size());
            assertThat(trainedAgain).as("epochs trained after the restart").extracting(TrainingProgress::getEpoch)
                    .containsExactlyElementsOf(IntStream.rangeClosed(from + 1, EPOCHS).boxed().toList());
            assertThat(trainedAgain).allSatisfy(p -> assertThat(p.getResumedFromEpoch()).isEqualTo(from));

            assertThat(last.hasModel()).isTrue();
            ModelVersion model = last.getModel();
            assertThat(model.getModelName()).isEqualTo("iaf-crash");
            assertThat(model.getSha256()).hasSize(64);
            var metrics = model.getCard().getMetrics();
            assertThat(metrics.getSpikeAuc()).as("test spike AUC").isGreaterThan(0.8);
            assertThat(metrics.getOnnxMaxAbsDiff()).isLessThanOrEqualTo(1e-4);
            assertThat(model.getCard().getTrainingConfigJson()).contains("\"epochs\":" + EPOCHS);
        }
    }

    /** Progress reports of finished epochs (and the resume report, which carries the checkpoint's epoch). */
    private static List<TrainingProgress> trainedEpochs(List<TrainingProgress> progress) {
        return progress.stream().filter(p -> p.getState() == JobState.JOB_STATE_TRAINING && p.getEpoch() > 0).toList();
    }

    /** Polls the job until its latest report has reached {@code epoch} (or the job ended). */
    private static TrainingProgress awaitEpoch(NeuroSurrogateClient client, String jobId, int epoch, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        TrainingProgress latest = TrainingProgress.getDefaultInstance();
        while (System.nanoTime() < deadline) {
            latest = retryingUnavailable(() -> client.getTrainingJob(jobId), deadline).getLatest();
            if (latest.getEpoch() >= epoch || NeuroSurrogateClient.isFinal(latest.getState())) {
                return latest;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + jobId + " did not reach epoch " + epoch + " in " + timeout + "; latest: "
                + IafPipeline.describe(latest));
    }

    /** The job's whole progress history (WatchTraining replays it), up to the end of the job. */
    private static List<TrainingProgress> watchToEnd(NeuroSurrogateClient client, String jobId, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        GetTrainingJobRequest request = GetTrainingJobRequest.newBuilder().setJobId(jobId).build();
        List<TrainingProgress> history = retryingUnavailable(() -> {
            List<TrainingProgress> seen = new ArrayList<>();
            client.stub().withDeadlineAfter(deadline - System.nanoTime(), TimeUnit.NANOSECONDS).watchTraining(request)
                    .forEachRemaining(seen::add);
            return seen;
        }, deadline);
        assertThat(history).as("progress of job %s", jobId).isNotEmpty();
        assertThat(NeuroSurrogateClient.isFinal(history.get(history.size() - 1).getState()))
                .as("the watch ended with the job: %s", IafPipeline.describe(history.get(history.size() - 1))).isTrue();
        return history;
    }

    /** The gateway's channel to a restarted service reconnects by itself; until then calls fail UNAVAILABLE. */
    private static <T> T retryingUnavailable(Supplier<T> call, long deadlineNanos) throws InterruptedException {
        while (true) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || System.nanoTime() > deadlineNanos) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
