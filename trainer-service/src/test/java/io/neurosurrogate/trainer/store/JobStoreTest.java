package io.neurosurrogate.trainer.store;

import io.neurosurrogate.proto.v1.JobState;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobStoreTest {
    @TempDir
    Path dir;

    private static TrainingJobSpec spec(String model) {
        return TrainingJobSpec.newBuilder().setModelName(model).setNeuronModel("iaf").setMinSimulations(3).build();
    }

    private static TrainingProgress progress(String jobId, JobState state, int epoch) {
        return TrainingProgress.newBuilder().setJobId(jobId).setState(state).setEpoch(epoch).setTimestampMs(1000 + epoch)
                .setMessage("epoch " + epoch).build();
    }

    private static byte[] delimited(TrainingProgress p) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.writeDelimitedTo(out);
        return out.toByteArray();
    }

    @Test
    void jobsComeBackAfterAReopenInSubmissionOrderWithSpecAndHistory() throws Exception {
        JobStore store = JobStore.open(dir);
        // Ids sort the other way round from the submission order: the order must come from the store.
        long first = store.create("j-b", spec("second-name"));
        long second = store.create("j-a", spec("first-name"));
        store.append("j-b", progress("j-b", JobState.JOB_STATE_QUEUED, 0));
        store.append("j-a", progress("j-a", JobState.JOB_STATE_QUEUED, 0));
        store.append("j-b", progress("j-b", JobState.JOB_STATE_TRAINING, 1));
        assertThat(second).isGreaterThan(first);

        JobStore reopened = JobStore.open(dir);
        List<JobStore.StoredJob> jobs = reopened.load();
        assertThat(jobs).extracting(JobStore.StoredJob::jobId).containsExactly("j-b", "j-a");
        assertThat(jobs.get(0).spec()).isEqualTo(spec("second-name"));
        assertThat(jobs.get(0).history()).containsExactly(progress("j-b", JobState.JOB_STATE_QUEUED, 0), progress("j-b", JobState.JOB_STATE_TRAINING, 1));
        assertThat(jobs.get(1).history()).containsExactly(progress("j-a", JobState.JOB_STATE_QUEUED, 0));
        assertThat(reopened.create("j-c", spec("third"))).as("the order continues after a restart").isGreaterThan(second);
        assertThatThrownBy(() -> reopened.create("j-a", spec("again"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> reopened.create("../j-x", spec("escape"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTornLastRecordIsDroppedAndLaterAppendsFollowTheLastWholeRecord() throws Exception {
        JobStore store = JobStore.open(dir);
        store.create("j-1", spec("m"));
        store.append("j-1", progress("j-1", JobState.JOB_STATE_QUEUED, 0));
        store.append("j-1", progress("j-1", JobState.JOB_STATE_TRAINING, 1));
        Path log = dir.resolve("j-1").resolve(JobStore.PROGRESS_FILE);
        long whole = Files.size(log);
        byte[] next = delimited(progress("j-1", JobState.JOB_STATE_TRAINING, 2));
        // The crash came half-way through the next record.
        Files.write(log, Arrays.copyOf(next, next.length / 2), StandardOpenOption.APPEND);

        JobStore reopened = JobStore.open(dir);
        assertThat(reopened.load().get(0).history()).extracting(TrainingProgress::getEpoch).containsExactly(0, 1);
        assertThat(Files.size(log)).isEqualTo(whole);
        reopened.append("j-1", progress("j-1", JobState.JOB_STATE_TRAINING, 3));
        assertThat(JobStore.open(dir).load().get(0).history()).extracting(TrainingProgress::getEpoch).containsExactly(0, 1, 3);
    }

    @Test
    void aZeroFilledTailAndATornLengthPrefixAreDroppedToo() throws Exception {
        JobStore store = JobStore.open(dir);
        store.create("j-1", spec("m"));
        store.append("j-1", progress("j-1", JobState.JOB_STATE_QUEUED, 0));
        Path log = dir.resolve("j-1").resolve(JobStore.PROGRESS_FILE);
        Files.write(log, new byte[64], StandardOpenOption.APPEND);
        assertThat(JobStore.open(dir).load().get(0).history()).hasSize(1);

        // A length prefix cut inside its varint (a record of 300 bytes needs two length bytes).
        Files.write(log, new byte[]{(byte) 0xAC}, StandardOpenOption.APPEND);
        assertThat(JobStore.open(dir).load().get(0).history()).hasSize(1);
        // Whole bytes that are no TrainingProgress (field 0 is invalid).
        Files.write(log, new byte[]{3, 0, 0, 0}, StandardOpenOption.APPEND);
        assertThat(JobStore.open(dir).load().get(0).history()).hasSize(1);
    }

    @Test
    void aSubmitThatCrashedBeforeItsSpecWasWrittenIsRemoved() throws Exception {
        JobStore store = JobStore.open(dir);
        store.create("j-1", spec("m"));
        Files.createDirectories(dir.resolve("j-2"));
        Files.writeString(dir.resolve("j-2").resolve(JobStore.ORDER_FILE), "2\n");
        Files.write(dir.resolve("j-1").resolve("spec.pb.tmp-123"), new byte[]{1});

        List<JobStore.StoredJob> jobs = JobStore.open(dir).load();
        assertThat(jobs).extracting(JobStore.StoredJob::jobId).containsExactly("j-1");
        assertThat(jobs.get(0).history()).isEmpty();
        assertThat(dir.resolve("j-2")).doesNotExist();
        assertThat(dir.resolve("j-1").resolve("spec.pb.tmp-123")).doesNotExist();
    }

    @Test
    void theWorkDirIsTheJobsOwnAndCanBeDeleted() throws Exception {
        JobStore store = JobStore.open(dir);
        store.create("j-1", spec("m"));
        Path work = store.workDir("j-1");
        assertThat(work).isEqualTo(dir.resolve("j-1").resolve("work")).isDirectory();
        Files.createDirectories(work.resolve("nested"));
        Files.write(work.resolve("nested").resolve("checkpoint.bin"), new byte[]{1, 2, 3});
        assertThat(store.workDir("j-1")).isEqualTo(work);

        store.deleteWorkDir("j-1");
        assertThat(work).doesNotExist();
        store.deleteWorkDir("j-1");
        assertThat(JobStore.open(dir).load()).hasSize(1);
    }
}
