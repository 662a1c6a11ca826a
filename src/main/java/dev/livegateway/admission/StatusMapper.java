package dev.livegateway.admission;

import com.google.protobuf.Any;
import com.google.protobuf.util.Durations;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import dev.livegateway.metrics.FailureStatus;
import dev.livegateway.quota.LeaseTermination;
import dev.livegateway.quota.QuotaExceededException;
import dev.livegateway.quota.QuotaUnavailableException;
import dev.livegateway.redis.RedisUnavailableException;
import dev.livegateway.session.InvalidClientEventException;
import dev.livegateway.session.ResumeTokenTakenException;
import dev.livegateway.session.ReplicaFullException;
import dev.livegateway.session.SessionUnavailableException;
import dev.livegateway.session.ToolResponseTimeoutException;
import dev.livegateway.tools.ToolConflictException;
import dev.livegateway.tools.ToolNotFoundException;
import dev.livegateway.tools.ToolNotPermittedException;
import dev.livegateway.tools.ToolUnavailableException;
import dev.livegateway.upstream.UpstreamClose;
import dev.livegateway.upstream.UpstreamException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The one place where failures become gRPC statuses (README, "Errors"). Rich details ride along as
 * google.rpc.Status: RetryInfo where retrying makes sense and ErrorInfo with the resume token.
 */
@ApplicationScoped
public class StatusMapper implements FailureStatus {

    private static final Logger LOG = Logger.getLogger(StatusMapper.class);

    public static final String ERROR_DOMAIN = "livegateway.dev";
    /** Trailer with the resume token, for clients that do not read rich error details. */
    public static final Metadata.Key<String> RESUME_TOKEN_TRAILER =
            Metadata.Key.of("live-gateway-resume-token", Metadata.ASCII_STRING_MARSHALLER);

    /** A status with its code, message, retry delay (nullable) and machine-readable reason. */
    public record Mapped(Status.Code code, String message, Duration retryDelay, String reason) {}

    public StatusRuntimeException toStatusException(Throwable error, String resumeToken) {
        if (error instanceof QuotaUnavailableException || error instanceof RedisUnavailableException) {
            LOG.warnf("Ending a stream with UNAVAILABLE: %s", error.getMessage());
        }
        Mapped mapped = map(error);
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(mapped.code().value())
                .setMessage(mapped.message());
        if (mapped.retryDelay() != null) {
            status.addDetails(Any.pack(RetryInfo.newBuilder()
                    .setRetryDelay(Durations.fromNanos(mapped.retryDelay().toNanos())).build()));
        }
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setDomain(ERROR_DOMAIN).setReason(mapped.reason());
        if (resumeToken != null) {
            info.putMetadata("resume_token", resumeToken);
        }
        status.addDetails(Any.pack(info.build()));
        Metadata trailers = new Metadata();
        if (resumeToken != null) {
            trailers.put(RESUME_TOKEN_TRAILER, resumeToken);
        }
        return StatusProto.toStatusRuntimeException(status.build(), trailers);
    }

    @Override
    public Status.Code codeOf(Throwable error) {
        return map(error).code();
    }

    public Mapped map(Throwable error) {
        if (error instanceof StatusRuntimeException sre) {
            return new Mapped(sre.getStatus().getCode(), String.valueOf(sre.getStatus().getDescription()), null,
                    sre.getStatus().getCode().name());
        }
        if (error instanceof QuotaExceededException e) {
            return new Mapped(Status.Code.RESOURCE_EXHAUSTED, "quota full: " + e.limit() + "; retry after "
                    + e.retryAfter().toSeconds() + " s", e.retryAfter(), "QUOTA_EXCEEDED");
        }
        if (error instanceof ReplicaFullException e) {
            return new Mapped(Status.Code.RESOURCE_EXHAUSTED, e.getMessage() + "; retry after "
                    + e.retryAfter().toSeconds() + " s (another replica may have room)", e.retryAfter(), "REPLICA_FULL");
        }
        // Store failures: callers learn that the store is down, never where it is (the log has that).
        if (error instanceof QuotaUnavailableException e) {
            return new Mapped(Status.Code.UNAVAILABLE, e.callerMessage(), Duration.ofSeconds(2), "QUOTA_STORE_UNAVAILABLE");
        }
        if (error instanceof RedisUnavailableException) {
            // Resume tokens or the tool registry in Redis (live-gateway.store=redis) could not be read.
            return new Mapped(Status.Code.UNAVAILABLE, RedisUnavailableException.CALLER_MESSAGE + "; retry shortly",
                    Duration.ofSeconds(2), "SHARED_STORE_UNAVAILABLE");
        }
        if (error instanceof LeaseTerminatedException e) {
            return e.termination().reason() == LeaseTermination.Reason.REVOKED
                    ? new Mapped(Status.Code.CANCELLED, "an operator ended this session: " + e.termination().message(),
                            null, "SESSION_REVOKED")
                    : new Mapped(Status.Code.UNAVAILABLE, "the session's quota lease was lost ("
                            + e.termination().message() + "); reconnect with the resume token", Duration.ofSeconds(2),
                            "LEASE_LOST");
        }
        if (error instanceof ToolNotFoundException e) {
            return new Mapped(Status.Code.NOT_FOUND, "config.tools: " + e.getMessage(), null, "TOOL_NOT_FOUND");
        }
        if (error instanceof ToolNotPermittedException e) {
            return new Mapped(Status.Code.PERMISSION_DENIED, "config.tools: " + e.getMessage(), null,
                    "TOOL_NOT_PERMITTED");
        }
        if (error instanceof ToolUnavailableException e) {
            return new Mapped(Status.Code.UNAVAILABLE, "config.tools: " + e.getMessage(), Duration.ofSeconds(5),
                    "TOOL_UNAVAILABLE");
        }
        if (error instanceof ToolConflictException e) {
            return new Mapped(Status.Code.INVALID_ARGUMENT, "config.tools: " + e.getMessage(), null, "TOOL_CONFLICT");
        }
        if (error instanceof UnconfiguredStreamException e) {
            return e.limit() == UnconfiguredStreamException.Limit.FIRST_EVENT_TIMEOUT
                    ? new Mapped(Status.Code.DEADLINE_EXCEEDED, e.getMessage(), null, "FIRST_EVENT_TIMEOUT")
                    : new Mapped(Status.Code.RESOURCE_EXHAUSTED, e.getMessage(), Duration.ofSeconds(1),
                            "UNCONFIGURED_STREAMS_LIMIT");
        }
        if (error instanceof InvalidClientEventException invalid) {
            return new Mapped(Status.Code.INVALID_ARGUMENT, invalid.getMessage(), null, "INVALID_ARGUMENT");
        }
        if (error instanceof ResumeTokenTakenException e) {
            return new Mapped(Status.Code.ABORTED, e.getMessage(), null, "RESUMED_ELSEWHERE");
        }
        if (error instanceof ToolResponseTimeoutException e) {
            return new Mapped(Status.Code.DEADLINE_EXCEEDED, e.getMessage(), null, "TOOL_RESPONSE_TIMEOUT");
        }
        if (error instanceof SessionUnavailableException e) {
            return new Mapped(Status.Code.UNAVAILABLE, e.getMessage()
                    + "; reconnect with the resume token to continue the conversation", Duration.ofSeconds(1),
                    "GATEWAY_SHUTTING_DOWN");
        }
        if (error instanceof UpstreamException.Closed closed) {
            return closeStatus(closed.close());
        }
        if (error instanceof UpstreamException.HandshakeRejected rejected) {
            return handshakeStatus(rejected);
        }
        if (error instanceof UpstreamException.CredentialsFailed e) {
            return new Mapped(Status.Code.UNAVAILABLE, "the gateway could not authenticate to the Live API ("
                    + e.getMessage() + "); operators: check the gateway's Google credentials", null,
                    "UPSTREAM_CREDENTIALS");
        }
        if (error instanceof UpstreamException.TargetUnavailable e) {
            return new Mapped(Status.Code.UNAVAILABLE, e.getMessage() + "; retry later with the resume token",
                    Duration.ofSeconds(5), "UPSTREAM_TARGET_UNAVAILABLE");
        }
        if (error instanceof UpstreamException.NoTargetAvailable e) {
            return new Mapped(e.full() ? Status.Code.RESOURCE_EXHAUSTED : Status.Code.UNAVAILABLE, e.getMessage(),
                    Duration.ofSeconds(5), e.full() ? "UPSTREAM_POOL_FULL" : "NO_UPSTREAM_TARGET");
        }
        if (error instanceof UpstreamException e) {
            return new Mapped(Status.Code.UNAVAILABLE, "the Live API is unreachable: " + e.getMessage()
                    + "; retry later", Duration.ofSeconds(2), "UPSTREAM_UNAVAILABLE");
        }
        if (error instanceof CircuitBreakerOpenException) {
            return new Mapped(Status.Code.UNAVAILABLE, "the Live API endpoint is failing and the gateway's circuit"
                    + " breaker is open; retry later", Duration.ofSeconds(15), "UPSTREAM_CIRCUIT_OPEN");
        }
        if (error instanceof TimeoutException) {
            return new Mapped(Status.Code.UNAVAILABLE, "the Live API did not answer in time; retry later",
                    Duration.ofSeconds(2), "UPSTREAM_TIMEOUT");
        }
        return new Mapped(Status.Code.INTERNAL, "internal gateway error: " + error.getClass().getSimpleName()
                + (error.getMessage() == null ? "" : ": " + error.getMessage()), null, "INTERNAL");
    }

    /** Close codes (README, "Errors"): 1007 → INVALID_ARGUMENT, 1008 → NOT_FOUND/PERMISSION_DENIED, quota, else UNAVAILABLE. */
    static Mapped closeStatus(UpstreamClose close) {
        String reason = close.reasonText();
        String lower = reason.toLowerCase(Locale.ROOT);
        String detail = reason.isEmpty() ? "" : ": " + reason;
        if (close.resourceExhausted()) {
            return new Mapped(Status.Code.RESOURCE_EXHAUSTED, "the Live API has no capacity for this session (quota"
                    + " of concurrent sessions)" + detail, Duration.ofSeconds(30), "UPSTREAM_RESOURCE_EXHAUSTED");
        }
        return switch (close.code()) {
            case UpstreamClose.INVALID_PAYLOAD -> new Mapped(Status.Code.INVALID_ARGUMENT,
                    "the Live API rejected the session's request (1007)" + detail, null, "UPSTREAM_INVALID_ARGUMENT");
            case UpstreamClose.POLICY_VIOLATION -> lower.contains("not found")
                    ? new Mapped(Status.Code.NOT_FOUND, "the Live API does not know the model or resource (1008)"
                            + detail, null, "UPSTREAM_NOT_FOUND")
                    : new Mapped(Status.Code.PERMISSION_DENIED, "the Live API refused the session (1008)" + detail,
                            null, "UPSTREAM_POLICY_VIOLATION");
            default -> new Mapped(Status.Code.UNAVAILABLE, "the Live API connection failed and could not be resumed ("
                    + close.code() + (close.abrupt() ? ", no close frame" : "") + ")" + detail
                    + "; reconnect with the resume token to continue", Duration.ofSeconds(1), "UPSTREAM_UNAVAILABLE");
        };
    }

    static Mapped handshakeStatus(UpstreamException.HandshakeRejected rejected) {
        int http = rejected.httpStatus();
        if (http == 429) {
            return new Mapped(Status.Code.RESOURCE_EXHAUSTED, rejected.getMessage(), Duration.ofSeconds(10),
                    "UPSTREAM_RATE_LIMITED");
        }
        if (http == 401) {
            return new Mapped(Status.Code.UNAVAILABLE, rejected.getMessage()
                    + "; the Live API refused the gateway's credentials (operators: check them)", null,
                    "UPSTREAM_UNAUTHENTICATED");
        }
        if (http == 403) {
            return new Mapped(Status.Code.PERMISSION_DENIED, rejected.getMessage()
                    + "; the gateway's identity may not use this model or project", null, "UPSTREAM_PERMISSION_DENIED");
        }
        if (http == 404) {
            return new Mapped(Status.Code.NOT_FOUND, rejected.getMessage(), null, "UPSTREAM_NOT_FOUND");
        }
        return new Mapped(Status.Code.UNAVAILABLE, rejected.getMessage() + "; retry later", Duration.ofSeconds(2),
                "UPSTREAM_UNAVAILABLE");
    }
}
