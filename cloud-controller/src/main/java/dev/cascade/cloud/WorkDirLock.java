package dev.cascade.cloud;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One holder per working directory at a time: a lock per directory in this JVM (fair, so waiting applies go in
 * arrival order), then an exclusive {@link FileChannel#lock() file lock} on {@code <dir>/.cascade.lock} against
 * other processes (another stream-manager member on the same machine, a CLI run).
 *
 * <p>The JVM lock comes first because a JVM may hold only one lock on a file: a second
 * {@code FileChannel.lock} from another thread would throw instead of waiting. The lock file is never deleted
 * (deleting it would let a second process lock a new file while the first still holds the old one). The OS drops
 * the file lock when the process dies, so a crashed holder never blocks the directory.
 */
final class WorkDirLock implements AutoCloseable {
    static final String FILE = ".cascade.lock";
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock fileLock;

    private WorkDirLock(ReentrantLock local, FileChannel channel, FileLock fileLock) {
        this.local = local;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /**
     * Takes both locks, blocking as long as needed.
     *
     * @param onWait called once, before blocking, when another holder has the directory
     */
    static WorkDirLock acquire(Path dir, Runnable onWait) throws IOException, InterruptedException {
        Path key = dir.toAbsolutePath().normalize();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock(true));
        boolean waited = false;
        if (!local.tryLock()) {
            onWait.run();
            waited = true;
            local.lockInterruptibly();
        }
        FileChannel channel = null;
        try {
            if (!Files.isDirectory(key)) {
                // Owner only: the state of a cloud deployment holds the machines' user data.
                try {
                    Files.createDirectories(key, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectories(key);
                }
            }
            channel = FileChannel.open(key.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                if (!waited) {
                    onWait.run();
                }
                // Interruptible: an interrupt closes the channel and throws ClosedByInterruptException.
                lock = channel.lock();
            }
            return new WorkDirLock(local, channel, lock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.unlock();
            if (e instanceof java.nio.channels.ClosedByInterruptException) {
                throw new InterruptedException("interrupted while waiting for " + key);
            }
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            fileLock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do
        } finally {
            local.unlock();
        }
    }
}
