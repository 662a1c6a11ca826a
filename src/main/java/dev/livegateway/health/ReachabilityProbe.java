package dev.livegateway.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Opens and closes one TCP connection, with a TLS handshake (hostname verified) when asked: proof
 * that a host answers, without speaking any protocol to it.
 */
public final class ReachabilityProbe implements AutoCloseable {

    private final NetClient plain;
    private final NetClient tls;

    /** {@code trustPem}: PEM certificates to trust for TLS instead of the JVM's trust store. */
    public ReachabilityProbe(Vertx vertx, Duration timeout, Optional<String> trustPem) {
        this.plain = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) timeout.toMillis()));
        NetClientOptions options = new NetClientOptions()
                .setConnectTimeout((int) timeout.toMillis())
                .setSsl(true)
                .setHostnameVerificationAlgorithm("HTTPS")
                .setSslHandshakeTimeout(timeout.toMillis())
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        trustPem.ifPresent(pem -> options.setTrustOptions(new PemTrustOptions().addCertPath(pem)));
        this.tls = vertx.createNetClient(options);
    }

    /** Succeeds when the host accepted the connection (and completed the TLS handshake). */
    public Future<Void> probe(String host, int port, boolean useTls) {
        Future<io.vertx.core.net.NetSocket> connect = useTls ? tls.connect(port, host, host) : plain.connect(port, host);
        return connect.compose(socket -> socket.close());
    }

    @Override
    public void close() {
        plain.close();
        tls.close();
    }
}
