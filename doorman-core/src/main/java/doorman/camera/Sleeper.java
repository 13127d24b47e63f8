package doorman.camera;

import java.time.Duration;

/** How a decorator waits; injected so tests can record waits instead of spending them. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);

    void sleep(Duration duration) throws InterruptedException;
}
