package doorman.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings a careful owner would want to hear about at every start, one line each: they weaken the door's
 * defences without being outright refused (those need {@code i-understand}, see {@link LivenessConfig}).
 */
public final class RiskySettings {

    /** Above this threshold most real photos and screens score as live on this model (README, liveness). */
    static final double LENIENT_THRESHOLD = 0.1; // the calibrated MiniFASNet threshold is about 0.39

    private RiskySettings() {
    }

    /** One line per risky setting, naming its key; empty when none. */
    public static List<String> of(DoormanConfig config) {
        List<String> risks = new ArrayList<>();
        LivenessConfig live = config.liveness();
        if (!live.enabled())
            risks.add("liveness.enabled is false: no spoof check, a photo of anyone enrolled opens the door");
        else if (live.threshold() != null && live.threshold() <= LivenessConfig.EVERY_FACE_LIVE)
            risks.add("liveness.threshold " + live.threshold() + " calls every face live: the spoof check does nothing");
        else if (live.threshold() != null && live.threshold() < LENIENT_THRESHOLD)
            risks.add("liveness.threshold " + live.threshold() + " calls most faces live, printed photos included");
        if (config.lock().type() == LockConfig.Type.DRY_RUN)
            risks.add("lock.type is dry-run: decisions are logged but the door is never opened");
        HttpConfig http = config.http();
        if (http.enabled() && !http.tls() && !loopback(http.host()))
            risks.add("http.host " + http.host() + " serves beyond this machine without TLS: the API token crosses the network in clear");
        return risks;
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
