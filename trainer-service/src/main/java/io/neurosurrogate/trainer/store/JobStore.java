package io.neurosurrogate.trainer.store;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.neurosurrogate.proto.v1.TrainingJobSpec;
import io.neurosurrogate.proto.v1.TrainingProgress;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Training jobs on disk, so that a restarted trainer knows every job and resumes the unfinished ones:
 * {@code <root>/<job_id>/} holds {@code submit-order} (the job's place in the submission order),
 * {@code spec.pb} (the {@link TrainingJobSpec}, written once at submit and last, so its presence marks a
 * submitted job), {@code progress.log} (every {@link TrainingProgress}, length-delimited, appended and
 * fsync'd one by one) and {@code work/}, the trainer's directory for the job's checkpoints.
 *
 * <p>A crash in the middle of an append leaves a torn last record; {@link #load} drops it (cutting the
 * file back, so later appends follow the last whole record) instead of refusing to start.
 * Thread-safe; appends to one job must come from one writer at a time (the job's record serialises them).
 */
public final class JobStore {
    private static final Logger LOG = Logger.getLogger(JobStore.class);
    static final String ORDER_FILE = "submit-order";
    static final String SPEC_FILE = "spec.pb";
    static final String PROGRESS_FILE = "progress.log";
    static final String WORK_DIR = "work";

    /** One job as stored: its place in the submission order, spec and progress history (oldest first). */
    public record StoredJob(String jobId, long submitOrder, TrainingJobSpec spec, List<TrainingProgress> history) {
        public StoredJob {
            history = List.copyOf(history);
        }
    }

    private final Path root;
    /** The submit order the next job gets; guarded by {@code this}. */
    private long nextOrder = 1;

    private JobStore(Path root) {
        this.root = root;
    }

    /** Opens (creating if needed) the job store under {@code root}. */
    public static JobStore open(Path root) throws IOException {
        DurableFiles.createDirectoriesDurably(root);
        JobStore store = new JobStore(root);
        for (StoredJob job : store.load()) {
            store.nextOrder = Math.max(store.nextOrder, job.submitOrder() + 1);
        }
        return store;
    }

    public Path root() {
        return root;
    }

    /**
     * Makes a new job durable (its directory, submit order and spec) before anyone is told it exists.
     *
     * @return the job's place in the submission order (increasing, also across restarts)
     * @throws IllegalArgumentException for a job id that is not a safe directory name, or one already stored
     */
    public synchronized long create(String jobId, TrainingJobSpec spec) throws IOException {
        Path dir = jobDir(jobId);
        if (Files.exists(dir)) {
            throw new IllegalArgumentException("job " + jobId + " is already stored in " + dir);
        }
        long order = nextOrder;
        DurableFiles.createDirectoriesDurably(dir);
        DurableFiles.writeAtomically(dir.resolve(ORDER_FILE), (order + "\n").getBytes(StandardCharsets.US_ASCII));
        DurableFiles.writeAtomically(dir.resolve(SPEC_FILE), spec.toByteArray());
        nextOrder = order + 1;
        return order;
    }

    /** Appends one progress record to the job's history and fsyncs it. */
    public void append(String jobId, TrainingProgress progress) throws IOException {
        ByteArrayOutputStream record = new ByteArrayOutputStream(progress.getSerializedSize() + 5);
        progress.writeDelimitedTo(record);
        DurableFiles.appendDurably(jobDir(jobId).resolve(PROGRESS_FILE), record.toByteArray());
    }

    /**
     * Every submitted job, in submission order. Removes what a crash left behind: temp files, the
     * directory of a submit that never completed (no {@code spec.pb}), and a torn last progress record.
     */
    public synchronized List<StoredJob> load() throws IOException {
        List<StoredJob> jobs = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : dirs) {
                String jobId = dir.getFileName().toString();
                if (!StoreNames.isSafe(jobId)) {
                    LOG.warnf("ignoring %s: not a job directory", dir);
                    continue;
                }
                StoredJob job = loadJob(jobId, dir);
                if (job != null) {
                    jobs.add(job);
                }
            }
        }
        jobs.sort(Comparator.comparingLong(StoredJob::submitOrder).thenComparing(StoredJob::jobId));
        return jobs;
    }

    /** The job's own directory for the trainer's checkpoints, created if missing. */
    public Path workDir(String jobId) throws IOException {
        Path dir = jobDir(jobId).resolve(WORK_DIR);
        DurableFiles.createDirectoriesDurably(dir);
        return dir;
    }

    /** Frees the disk a job's checkpoints took once they can no longer be needed (the job ended). */
    public void deleteWorkDir(String jobId) throws IOException {
        DurableFiles.deleteRecursively(jobDir(jobId).resolve(WORK_DIR));
    }

    private Path jobDir(String jobId) {
        if (!StoreNames.isSafe(jobId)) {
            throw new IllegalArgumentException("job id must match [A-Za-z0-9][A-Za-z0-9._-]{0,127}, got '" + jobId + "'");
        }
        return root.resolve(jobId);
    }

    private static StoredJob loadJob(String jobId, Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (DurableFiles.isTemp(f)) {
                    Files.deleteIfExists(f);
                }
            }
        }
        Path specFile = dir.resolve(SPEC_FILE);
        if (!Files.exists(specFile)) {
            // The submit crashed before it completed, so it never answered: nobody knows this job.
            LOG.warnf("removing %s: a submit that did not complete", dir);
            DurableFiles.deleteRecursively(dir);
            return null;
        }
        TrainingJobSpec spec = TrainingJobSpec.parseFrom(Files.readAllBytes(specFile));
        long order = Long.parseLong(Files.readString(dir.resolve(ORDER_FILE), StandardCharsets.US_ASCII).trim());
        return new StoredJob(jobId, order, spec, readHistory(dir.resolve(PROGRESS_FILE)));
    }

    /** Reads the whole records of a progress log; cuts off a torn or unreadable tail. */
    static List<TrainingProgress> readHistory(Path log) throws IOException {
        List<TrainingProgress> history = new ArrayList<>();
        if (!Files.exists(log)) {
            return history;
        }
        byte[] bytes = Files.readAllBytes(log);
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        int whole = 0;
        String problem = null;
        while (whole < bytes.length) {
            try {
                int length = in.readRawVarint32();
                // An empty record never comes from append (job id and state are always set); zeros are
                // what some file systems show in a file extended by a write the crash interrupted.
                if (length <= 0 || length > bytes.length - in.getTotalBytesRead()) {
                    problem = "torn record of " + length + " bytes";
                    break;
                }
                history.add(TrainingProgress.parseFrom(in.readRawBytes(length)));
                whole = in.getTotalBytesRead();
            } catch (InvalidProtocolBufferException e) {
                problem = e.getMessage();
                break;
            }
        }
        if (problem != null) {
            LOG.warnf("%s: dropping %d bytes after record %d (%s), left by an interrupted write", log, bytes.length - whole,
                    history.size(), problem);
            DurableFiles.truncateDurably(log, whole);
        }
        return history;
    }
}
