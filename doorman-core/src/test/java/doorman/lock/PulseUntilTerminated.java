package doorman.lock;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import doorman.config.LockConfig.Polarity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Child process for {@link GpioLockSigtermTest}: a mock-provider relay that starts a long pulse and waits to be
 * terminated, appending every change of the line ("PIN HIGH" / "PIN LOW") to the file named by its second argument.
 * A file, not stdout: {@code Process.destroy()} closes the parent's end of the pipes right after the signal, so
 * whatever the shutdown hook prints would be lost.
 */
public final class PulseUntilTerminated {

    private static Path log;

    public static void main(String[] args) throws InterruptedException {
        log = Path.of(args[1]);
        Context pi4j = Pi4J.newContextBuilder().add(MockDigitalOutputProvider.newInstance()).disableShutdownHook().build();
        GpioLock lock = new GpioLock(pi4j, 17, Polarity.valueOf(args[0]));
        say("PIN " + lock.output().state());
        lock.output().addListener(e -> say("PIN " + e.state()));
        lock.pulse(Duration.ofSeconds(30));
        say("PULSING");
        Thread.sleep(60_000);
        say("NOT TERMINATED");
    }

    private static synchronized void say(String line) {
        try {
            Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
