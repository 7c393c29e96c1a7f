package dev.cascade.cloud.it;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Run in a separate JVM by ConcurrentApplyIT: takes the working directory's file lock the way another stream-manager
 * member would, prints "locked", and holds it until its stdin closes.
 */
public final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        try (FileChannel ch = FileChannel.open(dir.resolve(".cascade.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until stdin closes
            }
        }
        System.out.println("released");
    }
}
