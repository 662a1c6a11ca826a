package dev.livegateway.quota;

/** The lease contract on the in-memory store: all "replicas" share the one store, as sessions of one replica do. */
class InMemoryLeaseStoreTest extends LeaseStoreContractTest {

    private final InMemoryLeaseStore store = new InMemoryLeaseStore();

    @Override
    LeaseStore newStoreClient() {
        return store;
    }
}
