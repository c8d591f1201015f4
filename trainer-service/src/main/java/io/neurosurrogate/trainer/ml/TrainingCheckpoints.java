package io.neurosurrogate.trainer.ml;

import io.neurosurrogate.trainer.eval.report.EpochRecord;
import org.jboss.logging.Logger;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The training state after each epoch, in one file {@code <workDir>/checkpoint.bin} replaced
 * atomically (written beside it, fsynced, renamed, directory fsynced): a crash at any moment leaves
 * either the previous or the new checkpoint, never a torn one. Holds the current parameters,
 * optimiser state and DL4J's iteration/epoch counters (what the next epoch continues from), the best
 * parameters so far and the early-stopping bookkeeping, the history for the report, and a fingerprint
 * of the job (dataset, architecture, settings), so a checkpoint is only resumed by the same training.
 */
public final class TrainingCheckpoints {
    private static final Logger LOG = Logger.getLogger(TrainingCheckpoints.class);
    static final String FILE = "checkpoint.bin";
    private static final int MAGIC = 0x4E534350; // "NSCP"
    private static final int FORMAT = 1;

    /** What a resumed run needs; {@code finished}: the loop had already stopped (early stop or budget). */
    public record Checkpoint(int epoch, SurrogateNetwork.State current, INDArray best, double bestAuc, double bestLoss,
                             int bestEpoch, int sinceBest, double trainedS, List<EpochRecord> history, boolean finished) {
    }

    private final Path dir;
    private final String fingerprint;

    /** @param dir the job's work directory, or null for no checkpoints */
    public TrainingCheckpoints(Path dir, String fingerprint) {
        this.dir = dir;
        this.fingerprint = fingerprint;
    }

    public Path file() {
        return dir == null ? null : dir.resolve(FILE);
    }

    /** The stored checkpoint of this job, or null (none, another job's, or unreadable: then training starts over). */
    public Checkpoint load() {
        if (dir == null || !Files.isRegularFile(file())) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file())))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                LOG.warnf("%s is not a checkpoint of this format; training starts over", file());
                return null;
            }
            String fp = in.readUTF();
            if (!fp.equals(fingerprint)) {
                LOG.warnf("%s belongs to another training (dataset, architecture or settings differ); training starts over", file());
                return null;
            }
            int epoch = in.readInt();
            int iterations = in.readInt();
            int epochs = in.readInt();
            double bestAuc = in.readDouble();
            double bestLoss = in.readDouble();
            int bestEpoch = in.readInt();
            int sinceBest = in.readInt();
            double trainedS = in.readDouble();
            boolean finished = in.readBoolean();
            int n = in.readInt();
            List<EpochRecord> history = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                history.add(new EpochRecord(in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
                        in.readDouble(), in.readDouble(), in.readDouble()));
            }
            INDArray params = Nd4j.read(in);
            INDArray updater = in.readBoolean() ? Nd4j.read(in) : null;
            INDArray best = Nd4j.read(in);
            return new Checkpoint(epoch, new SurrogateNetwork.State(params, updater, iterations, epochs), best, bestAuc, bestLoss,
                    bestEpoch, sinceBest, trainedS, history, finished);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot read checkpoint %s (%s); training starts over", file(), e.toString());
            return null;
        }
    }

    public void save(Checkpoint c) {
        if (dir == null) {
            return;
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(bytes))) {
                out.writeInt(MAGIC);
                out.writeInt(FORMAT);
                out.writeUTF(fingerprint);
                out.writeInt(c.epoch());
                out.writeInt(c.current().iterations());
                out.writeInt(c.current().epochs());
                out.writeDouble(c.bestAuc());
                out.writeDouble(c.bestLoss());
                out.writeInt(c.bestEpoch());
                out.writeInt(c.sinceBest());
                out.writeDouble(c.trainedS());
                out.writeBoolean(c.finished());
                out.writeInt(c.history().size());
                for (EpochRecord r : c.history()) {
                    out.writeInt(r.epoch());
                    out.writeDouble(r.trainLoss());
                    out.writeDouble(r.valLoss());
                    out.writeDouble(r.valAuc());
                    out.writeDouble(r.learningRate());
                    out.writeDouble(r.spikeLossWeight());
                    out.writeDouble(r.voltageLossWeight());
                    out.writeDouble(r.seconds());
                }
                Nd4j.write(c.current().params(), out);
                out.writeBoolean(c.current().updater() != null);
                if (c.current().updater() != null) {
                    Nd4j.write(c.current().updater(), out);
                }
                Nd4j.write(c.best(), out);
            }
            Files.createDirectories(dir);
            Path tmp = dir.resolve(FILE + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes.toByteArray());
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(), StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException ignored) {
                // Some file systems cannot fsync a directory; the rename is still atomic.
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file() + ": " + e.getMessage(), e);
        }
    }
}
