package dev.livegateway.tools;

import java.time.Clock;

class InMemoryToolStoreTest extends ToolStoreContractTest {

    @Override
    ToolStore newStore() {
        return new InMemoryToolStore(HISTORY, Clock.systemUTC());
    }

    @Override
    ToolStore otherReplica() {
        return store;
    }
}
