package doorman.http;

import doorman.metrics.Metrics;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.TooManyRequestsResponse;
import io.javalin.http.UnauthorizedResponse;

import java.util.function.Consumer;

/**
 * The token check in front of every non-public route. The right token always passes, whatever anyone else has
 * been doing: only wrong tokens are limited, so neither a guessing loop nor a web page that makes the owner's
 * browser send tokenless requests (images, CORS preflights) can lock the owner out. The client's address is
 * the socket's peer: a forwarded-for header is the client's own claim and would let it pick a fresh identity
 * per guess.
 */
final class BearerAuth {

    private final ApiToken token;
    private final FailureLimiter limiter;
    private final Metrics metrics;
    private final Consumer<String> audit;

    /** {@code audit} receives one line whenever wrong tokens start a lockout. */
    BearerAuth(ApiToken token, FailureLimiter limiter, Metrics metrics, Consumer<String> audit) {
        this.token = token;
        this.limiter = limiter;
        this.metrics = metrics;
        this.audit = audit;
    }

    /** Returns quietly for the right token; 401 for a missing one; for a wrong one 429 while limited, else 401. */
    void check(Context ctx) {
        String header = ctx.header("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip() : null;
        if (token.matches(presented)) return;
        metrics.counter("doorman_http_auth_failures_total", "Requests refused for a missing or wrong token.").inc();
        ctx.header("WWW-Authenticate", "Bearer realm=\"doorman\"");
        if (presented == null || presented.isEmpty() || ctx.method() == HandlerType.OPTIONS)
            throw new UnauthorizedResponse("missing bearer token"); // not a guess: never counted
        String client = ctx.req().getRemoteAddr();
        long wait = limiter.retryAfterSeconds(client);
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            throw new TooManyRequestsResponse("too many wrong tokens; retry in " + wait + " s (the right token is never refused)");
        }
        limiter.recordFailure(client).ifPresent(audit);
        throw new UnauthorizedResponse("wrong token");
    }
}
