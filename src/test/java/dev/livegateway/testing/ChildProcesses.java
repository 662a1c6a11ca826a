package dev.livegateway.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/** Helpers for the child processes the tests and the benchmark start: stopping a process tree, a free port. */
public final class ChildProcesses {

    private ChildProcesses() {
    }

    /**
     * Stops a process and everything it started (a script's gateway and example client are its
     * children): SIGTERM first, SIGKILL for what is still running after 20 s.
     */
    public static void stopTree(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** A TCP port free on this machine at the moment of asking. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port", e);
        }
    }
}
