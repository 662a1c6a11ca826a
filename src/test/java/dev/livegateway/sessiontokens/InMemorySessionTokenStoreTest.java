package dev.livegateway.sessiontokens;

class InMemorySessionTokenStoreTest extends SessionTokenStoreContractTest {

    @Override
    SessionTokenStore newStore() {
        return new InMemorySessionTokenStore();
    }

    @Override
    SessionTokenStore otherReplica(SessionTokenStore store) {
        return store;
    }
}
