package io.neurosurrogate.cli;

import java.io.PrintStream;

/** Progress lines on stderr, so that stdout keeps the machine-readable RESULT line clean. */
final class Progress implements io.neurosurrogate.client.IafPipeline.Listener {
    private final PrintStream out;
    private final long start = System.nanoTime();
    private int stage;

    Progress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void stage(String what) {
        stage++;
        out.printf("[%6.1fs] == %d. %s%n", elapsed(), stage, what);
    }

    @Override
    public void detail(String what) {
        out.printf("[%6.1fs]    %s%n", elapsed(), what);
    }

    double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }
}
