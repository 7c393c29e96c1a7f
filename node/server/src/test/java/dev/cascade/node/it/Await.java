package dev.cascade.node.it;

/** Polls a condition until it holds or a generous deadline passes (never a fixed sleep as an assertion). */
public final class Await {
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {}

    public static void until(String what, int seconds, Condition c) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (c.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + seconds + " s waiting until " + what, last);
    }
}
