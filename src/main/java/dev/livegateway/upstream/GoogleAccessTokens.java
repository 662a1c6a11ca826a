package dev.livegateway.upstream;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.livegateway.config.UpstreamConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * OAuth access tokens for Vertex AI from google-auth-library (a credentials file or Application
 * Default Credentials, scope cloud-platform). Tokens are refreshed on a worker thread before they
 * expire; concurrent callers share one refresh. Tokens are never logged.
 */
@ApplicationScoped
public class GoogleAccessTokens {

    static final String CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    private static final Logger LOG = Logger.getLogger(GoogleAccessTokens.class);

    private final Optional<String> credentialsFile;
    private final Duration refreshMargin;
    /** The key naming the credentials file, for messages. */
    private final String credentialsKey;
    private final Clock clock;
    private final AtomicReference<Uni<BearerToken>> refreshing = new AtomicReference<>();
    private volatile GoogleCredentials credentials;
    private volatile BearerToken current;

    @jakarta.inject.Inject
    GoogleAccessTokens(UpstreamConfig config) {
        this(config.vertex().credentialsFile(), config.vertex().tokenRefreshMargin(),
                "live-gateway.upstream.vertex.credentials-file");
    }

    /** Tokens of one pool target's credentials (a file, or Application Default Credentials when empty). */
    GoogleAccessTokens(Optional<String> credentialsFile, Duration refreshMargin, String credentialsKey) {
        this.credentialsFile = credentialsFile;
        this.refreshMargin = refreshMargin;
        this.credentialsKey = credentialsKey;
        this.clock = Clock.systemUTC();
    }

    /** A token with at least the configured margin left, and the credentials' quota project if any. */
    public record BearerToken(String value, Instant expiresAt, Optional<String> quotaProject) {
        @Override
        public String toString() {
            return "BearerToken[expiresAt=" + expiresAt + "]";
        }
    }

    public Uni<BearerToken> token() {
        BearerToken token = current;
        if (token != null && fresh(token)) {
            return Uni.createFrom().item(token);
        }
        return refreshing.updateAndGet(inFlight -> inFlight != null ? inFlight : newRefresh());
    }

    /** One shared refresh on a worker thread (google-auth blocks on HTTP); forgotten when done. */
    private Uni<BearerToken> newRefresh() {
        AtomicReference<Uni<BearerToken>> self = new AtomicReference<>();
        Uni<BearerToken> refresh = Uni.createFrom().item(this::refreshBlocking)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onTermination().invoke(() -> refreshing.compareAndSet(self.get(), null))
                .memoize().indefinitely();
        self.set(refresh);
        return refresh;
    }

    private boolean fresh(BearerToken token) {
        return token.expiresAt().isAfter(clock.instant().plus(refreshMargin));
    }

    private BearerToken refreshBlocking() {
        try {
            GoogleCredentials creds = credentials();
            creds.refresh();
            AccessToken accessToken = creds.getAccessToken();
            if (accessToken == null || accessToken.getTokenValue() == null) {
                throw new UpstreamException.CredentialsFailed("the credentials returned no access token");
            }
            Instant expiresAt = accessToken.getExpirationTime() == null ? clock.instant().plus(Duration.ofHours(1))
                    : accessToken.getExpirationTime().toInstant();
            BearerToken token = new BearerToken(accessToken.getTokenValue(), expiresAt,
                    Optional.ofNullable(creds.getQuotaProjectId()));
            current = token;
            LOG.debugf("Google access token refreshed, valid until %s", expiresAt);
            return token;
        } catch (IOException e) {
            throw new UpstreamException.CredentialsFailed("could not obtain a Google access token: " + e.getMessage());
        }
    }

    private GoogleCredentials credentials() throws IOException {
        GoogleCredentials creds = credentials;
        if (creds == null) {
            Optional<String> file = credentialsFile;
            if (file.isPresent()) {
                try (InputStream in = new FileInputStream(file.get())) {
                    creds = GoogleCredentials.fromStream(in);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + credentialsKey + " "
                            + file.get() + ": " + e.getMessage(), e);
                }
            } else {
                creds = GoogleCredentials.getApplicationDefault();
            }
            creds = creds.createScoped(List.of(CLOUD_PLATFORM_SCOPE));
            credentials = creds;
        }
        return creds;
    }
}
