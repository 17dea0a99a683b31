package dev.troupe.agents.message;

/** The in-memory bus against the bus contract. */
class InMemoryMessageBusContractTest extends MessageBusContract {
    @Override
    protected MessageBus newBus() {
        return new InMemoryMessageBus();
    }
}
