package dev.livegateway.session;

class InMemoryResumeTokenStoreTest extends ResumeTokenStoreContractTest {

    @Override
    ResumeTokenStore newStore() {
        return new InMemoryResumeTokenStore();
    }

    @Override
    ResumeTokenStore otherReplica(ResumeTokenStore store) {
        return store;
    }
}
