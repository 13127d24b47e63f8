package doorman.config;

/** A config file that cannot be used; the message is one line naming the file and the key. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
