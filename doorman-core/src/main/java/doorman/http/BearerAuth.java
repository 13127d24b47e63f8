package doorman.http;

import doorman.metrics.Metrics;
import io.javalin.http.Context;
import io.javalin.http.TooManyRequestsResponse;
import io.javalin.http.UnauthorizedResponse;

/**
 * The token check in front of every non-public route. The client's address is the socket's peer: a
 * forwarded-for header is the client's own claim and would let it pick a fresh identity per guess.
 */
final class BearerAuth {

    private final ApiToken token;
    private final FailureLimiter limiter;
    private final Metrics metrics;

    BearerAuth(ApiToken token, FailureLimiter limiter, Metrics metrics) {
        this.token = token;
        this.limiter = limiter;
        this.metrics = metrics;
    }

    /** Returns quietly for the right token; throws 429 while the client is locked out, else 401. */
    void check(Context ctx) {
        String client = ctx.req().getRemoteAddr();
        long wait = limiter.retryAfterSeconds(client);
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            throw new TooManyRequestsResponse("too many failed sign-ins from this address; retry in " + wait + " s");
        }
        String header = ctx.header("Authorization");
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip() : null;
        if (!token.matches(presented)) {
            limiter.recordFailure(client);
            metrics.counter("doorman_http_auth_failures_total", "Requests refused for a missing or wrong token.").inc();
            ctx.header("WWW-Authenticate", "Bearer realm=\"doorman\"");
            throw new UnauthorizedResponse(presented == null ? "missing bearer token" : "wrong token");
        }
    }
}
