package io.neurosurrogate.trainer.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Crash-safe file writes: the bytes go to a temp file in the target directory, are fsync'd, the
 * temp file is atomically renamed onto the target, and the directory is fsync'd so the rename
 * itself survives a power loss. Readers see the old file or the whole new one, never a torn one.
 * Append-only logs are the exception: a crash can leave a torn last record, which their readers
 * must recognise and cut off ({@link #truncateDurably}).
 */
final class DurableFiles {
    /** Marks temp files; a scan deletes leftovers of an interrupted write. */
    static final String TEMP_MARKER = ".tmp-";

    private DurableFiles() {
    }

    static void writeAtomically(Path target, byte[] data) throws IOException {
        Path dir = target.getParent();
        Path temp = dir.resolve(target.getFileName() + TEMP_MARKER + UUID.randomUUID());
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temp);
            throw new IOException("file system of " + dir + " cannot rename atomically", e);
        }
        fsyncDirectory(dir);
    }

    /**
     * Appends {@code data} to {@code file} (created if missing) and fsyncs it, and its directory when
     * the file is new. When the write fails half-way the file is cut back to its old length, so a
     * later append does not land behind a partial record.
     */
    static void appendDurably(Path file, byte[] data) throws IOException {
        boolean created = !Files.exists(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long start = ch.size();
            try {
                ByteBuffer buf = ByteBuffer.wrap(data);
                long position = start;
                while (buf.hasRemaining()) {
                    position += ch.write(buf, position);
                }
                ch.force(true);
            } catch (IOException e) {
                try {
                    ch.truncate(start);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
        if (created) {
            fsyncDirectory(file.getParent());
        }
    }

    /** Cuts {@code file} to {@code size} bytes (dropping a torn tail) and fsyncs it. */
    static void truncateDurably(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
            ch.force(true);
        }
    }

    /** Deletes {@code dir} with everything below it; a missing directory is fine. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path e : entries) {
                    deleteRecursively(e);
                }
            }
        }
        Files.deleteIfExists(dir);
    }

    /**
     * Creates {@code dir} and any missing parents, fsyncing each parent whose entries changed so a
     * new directory is not lost with its first file.
     */
    static void createDirectoriesDurably(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            createDirectoriesDurably(parent);
        }
        try {
            Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            return;
        }
        if (parent != null) {
            fsyncDirectory(parent);
        }
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    static boolean isTemp(Path file) {
        return file.getFileName().toString().contains(TEMP_MARKER);
    }
}
