package dev.livegateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How CpuProfileLayers names the layer of an async-profiler stack (root first, kernel frames marked _[k]). */
class CpuProfileLayersTest {

    private static String layer(String stack) {
        return CpuProfileLayers.layer(stack.split(";"));
    }

    @Test
    void kernelTimeIsNamedByTheSystemCallThatEnteredTheKernel() {
        assertThat(layer("java/lang/Thread.run;dev/livegateway/upstream/LiveConnection.sendJson;"
                + "sun/nio/ch/FileDispatcherImpl.write0;__GI_write;entry_SYSCALL_64_[k];tcp_sendmsg_[k]"))
                .isEqualTo("kernel: socket write (one per WebSocket frame)");
        assertThat(layer("java/lang/Thread.run;io/netty/channel/unix/FileDescriptor.writevAddresses;writev;"
                + "do_syscall_64_[k]")).isEqualTo("kernel: socket writev (HTTP/2 to callers, gathered)");
        assertThat(layer("java/lang/Thread.run;io/netty/channel/unix/Socket.sendAddress;__GI___send;tcp_sendmsg_[k]"))
                .isEqualTo("kernel: socket write (one per WebSocket frame)");
        assertThat(layer("java/lang/Thread.run;sun/nio/ch/EPoll.wait;epoll_wait;do_epoll_wait_[k]"))
                .isEqualTo("kernel: epoll (event loop waits and wake-ups)");
        assertThat(layer("java/lang/Thread.run;sun/nio/ch/SocketDispatcher.read0;__GI_read;tcp_recvmsg_[k]"))
                .isEqualTo("kernel: socket read");
        assertThat(layer("start_thread;[unknown];page_fault_[k]")).isEqualTo("kernel: other");
    }

    @Test
    void userTimeGoesToTheKnownPackageNearestTheLeaf() {
        assertThat(layer("java/lang/Thread.run;io/netty/channel/nio/NioEventLoop.run;"
                + "dev/livegateway/wire/AudioMessageCodec.decodeBase64;java/util/Base64$Decoder.decode0"))
                .isEqualTo("base64 (JDK)");
        assertThat(layer("java/lang/Thread.run;io/netty/channel/nio/NioEventLoop.run;"
                + "dev/livegateway/session/LiveSession.onCallerEvent;java/util/ArrayDeque.add"))
                .isEqualTo("gateway: session");
        assertThat(layer("java/lang/Thread.run;java/util/concurrent/ThreadPoolExecutor.runWorker"))
                .isEqualTo("JDK (other)");
        assertThat(layer("start_thread;thread_native_entry;G1ConcurrentRefineThread::run_service"))
                .isEqualTo("JVM (GC, JIT, runtime)");
    }
}
