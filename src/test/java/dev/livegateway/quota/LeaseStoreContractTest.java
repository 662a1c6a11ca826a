package dev.livegateway.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LeaseStore} must have, exercised through {@link QuotaService}s as
 * the gateway uses them. "Replicas" are separate QuotaService instances, each on its own store
 * client ({@link #newStoreClient()}): for Redis, separate connections to one server, exactly like
 * separate gateway processes.
 */
abstract class LeaseStoreContractTest {

    static final Duration HEARTBEAT = Duration.ofMillis(200);
    static final Duration TTL = Duration.ofMillis(1000);
    static final Duration WAIT = Duration.ofSeconds(10);

    private final List<QuotaService> services = new ArrayList<>();
    private final List<LeaseStore> stores = new ArrayList<>();

    /** A client of the store under test, as one replica would hold it. */
    abstract LeaseStore newStoreClient();

    @AfterEach
    void closeReplicas() {
        services.forEach(QuotaService::close);
        stores.forEach(LeaseStore::close);
        services.clear();
        stores.clear();
    }

    static QuotaPolicy policy(int tenantMax) {
        return policy(tenantMax, Map.of(), Optional.empty(), Duration.ZERO);
    }

    static QuotaPolicy policy(int tenantMax, Map<String, Integer> pools, Optional<Duration> sessionTime, Duration wait) {
        return new QuotaPolicy(HEARTBEAT, TTL, Duration.ofSeconds(30), Duration.ofSeconds(2), wait,
                new QuotaPolicy.TenantLimits(tenantMax, sessionTime), Map.of(), pools, OptionalInt.empty());
    }

    QuotaService replica(String id, QuotaPolicy policy) {
        LeaseStore store = newStoreClient();
        stores.add(store);
        QuotaService service = new QuotaService(store, policy, id, "store under test");
        services.add(service);
        return service;
    }

    LeaseStore observer() {
        LeaseStore store = newStoreClient();
        stores.add(store);
        return store;
    }

    static String uniqueTenant() {
        return "tenant-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static AdmissionRequest request(String tenant) {
        return request(tenant, null);
    }

    static AdmissionRequest request(String tenant, String pool) {
        return new AdmissionRequest(UUID.randomUUID().toString(), tenant, pool, "gemini-live-2.5-flash");
    }

    static Lease admit(QuotaService quota, AdmissionRequest request) {
        return quota.admit(request).await().atMost(WAIT);
    }

    static void awaitTrue(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout + " waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    static int active(LeaseStore store, String tenant) {
        return store.tenantUsage(tenant).await().atMost(WAIT).activeSessions();
    }

    @Test
    void fiftyConcurrentCallersOnTwoReplicasNeverHoldMoreThanTheLimit() throws Exception {
        String tenant = uniqueTenant();
        QuotaService[] replicas = {replica("replica-a", policy(10)), replica("replica-b", policy(10))};
        LeaseStore observer = observer();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger maxSampled = new AtomicInteger();
        AtomicInteger samples = new AtomicInteger();
        AtomicInteger held = new AtomicInteger();
        AtomicInteger maxHeld = new AtomicInteger();
        AtomicInteger refusals = new AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(50);
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                maxSampled.accumulateAndGet(active(observer, tenant), Math::max);
                samples.incrementAndGet();
            }
        });
        sampler.start();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                QuotaService replica = replicas[i % 2];
                done.add(CompletableFuture.runAsync(() -> {
                    try {
                        start.await();
                        while (true) {
                            try {
                                Lease lease = admit(replica, request(tenant));
                                maxHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
                                Thread.sleep(ThreadLocalRandom.current().nextInt(20, 60));
                                held.decrementAndGet();
                                lease.release().await().atMost(WAIT);
                                return;
                            } catch (QuotaExceededException full) {
                                refusals.incrementAndGet();
                                Thread.sleep(ThreadLocalRandom.current().nextInt(5, 20));
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, callers));
            }
            start.countDown();
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            running.set(false);
            sampler.join();
            callers.shutdownNow();
        }
        assertThat(maxHeld.get()).as("sessions held at once by the callers").isEqualTo(10);
        assertThat(maxSampled.get()).as("leases in the store at any sample").isLessThanOrEqualTo(10);
        assertThat(samples.get()).isGreaterThan(10);
        assertThat(refusals.get()).as("callers had to wait for room").isPositive();
        assertThat(active(observer, tenant)).isZero();
    }

    @Test
    void aKilledReplicaLosesItsLeasesAfterTheTtl() throws Exception {
        String tenant = uniqueTenant();
        QuotaService doomed = replica("doomed", policy(3));
        QuotaService survivor = replica("survivor", policy(3));
        for (int i = 0; i < 3; i++) {
            admit(doomed, request(tenant));
        }
        assertThatThrownBy(() -> admit(survivor, request(tenant))).isInstanceOf(QuotaExceededException.class)
                .hasMessageContaining("tenant " + tenant + ": 3 concurrent sessions");

        long killedAt = System.nanoTime();
        doomed.close(); // no heartbeats, no releases: a crash as far as the store can tell
        // Each lease was renewed by its own command, so the three expire a few milliseconds (on a
        // loaded machine, tens of milliseconds) apart: wait for all three, not just the first.
        List<Lease> admitted = new ArrayList<>();
        AtomicLong firstAdmittedAt = new AtomicLong();
        awaitTrue("all of the dead replica's capacity returns", TTL.plus(Duration.ofSeconds(3)), () -> {
            while (admitted.size() < 3) {
                try {
                    admitted.add(admit(survivor, request(tenant)));
                } catch (QuotaExceededException full) {
                    return false;
                }
                firstAdmittedAt.compareAndSet(0, System.nanoTime());
            }
            return true;
        });
        assertThat(Duration.ofNanos(firstAdmittedAt.get() - killedAt))
                .as("leases survive until their TTL").isGreaterThanOrEqualTo(TTL.minus(HEARTBEAT).minus(HEARTBEAT));
        assertThatThrownBy(() -> admit(survivor, request(tenant))).isInstanceOf(QuotaExceededException.class);
    }

    @Test
    void heartbeatsKeepLeasesAliveLongPastTheTtl() throws Exception {
        String tenant = uniqueTenant();
        QuotaService quota = replica("a", policy(1));
        Lease lease = admit(quota, request(tenant));
        Thread.sleep(TTL.multipliedBy(3).toMillis());
        assertThat(lease.isActive()).isTrue();
        assertThat(active(observer(), tenant)).isEqualTo(1);
        assertThatThrownBy(() -> admit(quota, request(tenant))).isInstanceOf(QuotaExceededException.class);
        lease.release().await().atMost(WAIT);
        assertThat(active(observer(), tenant)).isZero();
    }

    @Test
    void poolLimitHoldsAcrossTenants() {
        String pool = "proj/us-central1/gemini-live-" + UUID.randomUUID().toString().substring(0, 6);
        QuotaPolicy policy = policy(10, Map.of(pool, 2), Optional.empty(), Duration.ZERO);
        QuotaService a = replica("a", policy);
        QuotaService b = replica("b", policy);
        String teamA = uniqueTenant();
        String teamB = uniqueTenant();
        Lease first = admit(a, request(teamA, pool));
        admit(b, request(teamB, pool));
        assertThatThrownBy(() -> admit(a, request(teamA, pool)))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.limit()).isEqualTo("upstream pool " + pool + ": 2 concurrent sessions");
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
                });
        // Another pool, without a limit, still admits.
        admit(b, request(teamB, "proj/europe-west4/other-model"));
        first.release().await().atMost(WAIT);
        assertThat(observer().poolUsage(pool).await().atMost(WAIT)).isEqualTo(1);
        admit(b, request(teamB, pool));
    }

    @Test
    void sessionTimeIsAccountedAndLimitsNewSessions() throws Exception {
        String tenant = uniqueTenant();
        QuotaPolicy policy = policy(5, Map.of(), Optional.of(Duration.ofSeconds(1)), Duration.ZERO);
        QuotaService quota = replica("a", policy);
        Lease lease = admit(quota, request(tenant));
        Thread.sleep(1200);
        // A running session is not cut by the time limit...
        assertThat(lease.isActive()).isTrue();
        lease.release().await().atMost(WAIT);
        Duration used = observer().tenantUsage(tenant).await().atMost(WAIT).sessionTimeUsed();
        assertThat(used).isBetween(Duration.ofMillis(1100), Duration.ofSeconds(5));
        // ...but no new session starts once it is used up, until the usage leaves the window.
        assertThatThrownBy(() -> admit(quota, request(tenant)))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.limit()).isEqualTo("tenant " + tenant + ": 1 s of session time per 24 h");
                    assertThat(e.retryAfter()).isGreaterThan(Duration.ofHours(23));
                });
    }

    @Test
    void thousandRapidCyclesLeaveNoLease() throws Exception {
        String tenant = uniqueTenant();
        QuotaService a = replica("a", policy(4));
        QuotaService b = replica("b", policy(4));
        ExecutorService workers = Executors.newFixedThreadPool(4);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            QuotaService quota = w % 2 == 0 ? a : b;
            done.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 250; i++) {
                    admit(quota, request(tenant)).release().await().atMost(WAIT);
                }
            }, workers));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        workers.shutdown();
        LeaseStore observer = observer();
        assertThat(active(observer, tenant)).isZero();
        assertThat(observer.activeLeases().await().atMost(WAIT)).noneMatch(l -> l.tenant().equals(tenant));
        assertThat(a.localLeaseCount() + b.localLeaseCount()).isZero();
    }

    @Test
    void releaseIsIdempotent() {
        String tenant = uniqueTenant();
        QuotaService quota = replica("a", policy(1));
        Lease lease = admit(quota, request(tenant));
        lease.release().await().atMost(WAIT);
        lease.release().await().atMost(WAIT);
        assertThat(lease.isActive()).isFalse();
        Lease next = admit(quota, request(tenant));
        lease.release().await().atMost(WAIT);
        assertThat(next.isActive()).isTrue();
        assertThat(active(observer(), tenant)).isEqualTo(1);
    }

    @Test
    void revokeFromAnotherReplicaReachesTheOwner() throws Exception {
        String tenant = uniqueTenant();
        QuotaService owner = replica("owner", policy(2));
        QuotaService admin = replica("admin", policy(2));
        Lease lease = admit(owner, request(tenant));
        AtomicReference<LeaseTermination> ended = new AtomicReference<>();
        lease.onTerminated(ended::set);

        assertThat(admin.revoke(lease.sessionId()).await().atMost(WAIT)).isTrue();
        awaitTrue("the owner's heartbeat sees the revocation", HEARTBEAT.multipliedBy(5), () -> ended.get() != null);
        assertThat(ended.get().reason()).isEqualTo(LeaseTermination.Reason.REVOKED);
        assertThat(ended.get().message()).contains(lease.sessionId());
        assertThat(lease.isActive()).isFalse();
        // Until the owner releases it, the revoked lease still counts (the session is still ending).
        assertThat(admin.activeLeases().await().atMost(WAIT))
                .anySatisfy(info -> {
                    assertThat(info.sessionId()).isEqualTo(lease.sessionId());
                    assertThat(info.revoked()).isTrue();
                });
        lease.release().await().atMost(WAIT);
        assertThat(active(observer(), tenant)).isZero();
        assertThat(admin.revoke(lease.sessionId()).await().atMost(WAIT)).isFalse();
        assertThat(admin.revoke("no-such-session").await().atMost(WAIT)).isFalse();
    }

    @Test
    void revokeOnTheOwningReplicaTerminatesAtOnce() {
        QuotaService quota = replica("a", policy(2));
        Lease lease = admit(quota, request(uniqueTenant()));
        AtomicReference<LeaseTermination> ended = new AtomicReference<>();
        lease.onTerminated(ended::set);
        assertThat(quota.revoke(lease.sessionId()).await().atMost(WAIT)).isTrue();
        assertThat(ended.get()).isNotNull();
        // Registered late, the callback still runs.
        AtomicReference<LeaseTermination> late = new AtomicReference<>();
        lease.onTerminated(late::set);
        assertThat(late.get()).isEqualTo(ended.get());
    }

    @Test
    void sessionsAreListedWithTheirReplicaAcrossReplicas() {
        String tenant = uniqueTenant();
        QuotaService a = replica("replica-a", policy(5));
        QuotaService b = replica("replica-b", policy(5));
        Lease onA = admit(a, new AdmissionRequest("s-a-" + tenant, tenant, "p/l/m", "model-a"));
        Lease onB = admit(b, new AdmissionRequest("s-b-" + tenant, tenant, null, "model-b"));
        List<LeaseInfo> listed = a.activeLeases().await().atMost(WAIT).stream()
                .filter(l -> l.tenant().equals(tenant)).toList();
        assertThat(listed).extracting(LeaseInfo::sessionId, LeaseInfo::replicaId, LeaseInfo::pool, LeaseInfo::model)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(onA.sessionId(), "replica-a", "p/l/m", "model-a"),
                        org.assertj.core.groups.Tuple.tuple(onB.sessionId(), "replica-b", null, "model-b"));
        assertThat(listed).allSatisfy(l -> assertThat(l.expiresAt()).isAfter(l.startedAt()));
    }

    @Test
    void admissionWaitsForRoomWhenConfigured() throws Exception {
        String tenant = uniqueTenant();
        QuotaService quota = replica("a", policy(1, Map.of(), Optional.empty(), Duration.ofSeconds(3)));
        Lease first = admit(quota, request(tenant));
        CompletableFuture<Lease> second = quota.admit(request(tenant)).subscribeAsCompletionStage();
        Thread.sleep(300);
        assertThat(second).isNotDone();
        first.release();
        assertThat(second.get(3, TimeUnit.SECONDS).isActive()).isTrue();
    }

    @Test
    void admissionWaitIsBounded() {
        String tenant = uniqueTenant();
        QuotaService quota = replica("a", policy(1, Map.of(), Optional.empty(), Duration.ofMillis(500)));
        admit(quota, request(tenant));
        long start = System.nanoTime();
        assertThatThrownBy(() -> admit(quota, request(tenant))).isInstanceOf(QuotaExceededException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(200), Duration.ofSeconds(3));
    }
}
