package io.neurosurrogate.trainer.jobs;

import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrainingJobRecordTest {
    private static TrainingProgress state(JobState s, int epoch) {
        return TrainingProgress.newBuilder().setState(s).setEpoch(epoch).build();
    }

    @Test
    void aLateSubscriberGetsTheHistoryThenLiveUpdatesInOrder() {
        TrainingJobRecord job = new TrainingJobRecord("j-1", TrainingJobSpec.getDefaultInstance());
        job.append(state(JobState.JOB_STATE_QUEUED, 0));
        job.append(state(JobState.JOB_STATE_TRAINING, 1));
        List<TrainingProgress> seen = new ArrayList<>();
        job.subscribe(seen::add);
        job.append(state(JobState.JOB_STATE_TRAINING, 2));
        job.append(state(JobState.JOB_STATE_SUCCEEDED, 2));

        assertThat(seen).extracting(TrainingProgress::getState).containsExactly(
                JobState.JOB_STATE_QUEUED, JobState.JOB_STATE_TRAINING, JobState.JOB_STATE_TRAINING, JobState.JOB_STATE_SUCCEEDED);
        assertThat(seen).extracting(TrainingProgress::getJobId).containsOnly("j-1");
        assertThat(seen).allSatisfy(p -> assertThat(p.getTimestampMs()).isPositive());
    }

    @Test
    void nothingIsRecordedAfterTheFinalState() {
        TrainingJobRecord job = new TrainingJobRecord("j-2", TrainingJobSpec.getDefaultInstance());
        job.append(state(JobState.JOB_STATE_FAILED, 0));
        job.append(state(JobState.JOB_STATE_TRAINING, 1));
        assertThat(job.history()).hasSize(1);
        assertThat(job.latest().getState()).isEqualTo(JobState.JOB_STATE_FAILED);
    }

    @Test
    void anUnsubscribedOrFailingSubscriberGetsNoMoreUpdates() {
        TrainingJobRecord job = new TrainingJobRecord("j-3", TrainingJobSpec.getDefaultInstance());
        List<TrainingProgress> seen = new ArrayList<>();
        ProgressSubscriber s = seen::add;
        job.subscribe(s);
        job.subscribe(p -> {
            throw new IllegalStateException("stream cancelled");
        });
        job.append(state(JobState.JOB_STATE_QUEUED, 0));
        job.unsubscribe(s);
        job.append(state(JobState.JOB_STATE_TRAINING, 1));
        assertThat(seen).hasSize(1);
    }
}
