package doorman.http;

import doorman.camera.CameraStatus;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import doorman.audit.AdminAudit;
import doorman.metrics.Metrics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.util.List;
import java.util.function.Supplier;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The enrollment API and web page on one port. Every request outside a small public set (the page's
 * static files, /healthz and /openapi.yaml) needs the bearer token; every error is
 * {@code {"error": "...", "status": N}}.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    /** How long a blocked body read may wait for the next bytes (the pace of a body is BodyReader's rule). */
    static final long BODY_READ_TIMEOUT_MS = 10_000;
    static final long CONNECTION_IDLE_TIMEOUT_MS = 20_000;
    private static final Set<String> PUBLIC_PATHS = Set.of("/", "/index.html", "/app.js", "/app.css",
            "/favicon.svg", "/healthz", "/openapi.yaml");

    private final Javalin app;
    private final List<String> endpoints;
    private final ApiSettings settings;
    /** Groups with something to end before the server stops (the live preview's open streams). */
    private final List<Routes.Group> groups;

    private ApiServer(Javalin app, List<String> endpoints, ApiSettings settings, List<Routes.Group> groups) {
        this.groups = groups;
        this.app = app;
        this.endpoints = endpoints;
        this.settings = settings;
    }

    /** Starts the API on {@code services}; the caller closes the returned server, then the services. */
    public static ApiServer start(ApiSettings settings, ApiToken token, Metrics metrics, ApiServices services) {
        PersonLocks locks = new PersonLocks();
        FaceAnalysis analysis = new FaceAnalysis(services.pipeline(), services.quality(), services.liveness(), services.calibration(), metrics,
                services.thumbnails());
        AdminAudit admin = new AdminAudit(services.audit(), java.time.Clock.systemUTC());
        return start(settings, token, metrics, admin::signIn, List.of(
                new PeopleRoutes(services.gallery(), locks, admin),
                new FaceRoutes(services.gallery(), analysis, services.camera(), locks, admin),
                new MatchRoutes(services.gallery(), analysis, services.calibration(), services.door()),
                new EventRoutes(services.audit(), services.snapshots() == null ? id -> false : services.snapshots()::has),
                new ThumbnailRoutes(services.gallery()),
                new SnapshotRoutes(services.snapshots()),
                new PreviewRoutes(services.camera()),
                new DoorRoutes(services.lock(), services.pulse(), services.audit(), metrics, java.time.Clock.systemUTC())),
                services.camera() == null ? Optional::empty : services.camera()::status);
    }

    static ApiServer start(ApiSettings settings, ApiToken token, Metrics metrics, List<Routes.Group> groups) {
        return start(settings, token, metrics, line -> { }, groups);
    }

    static ApiServer start(ApiSettings settings, ApiToken token, Metrics metrics,
                           java.util.function.Consumer<String> signInAudit, List<Routes.Group> groups) {
        return start(settings, token, metrics, signInAudit, groups, Optional::empty);
    }

    /**
     * Starts the server with the given endpoint groups on top of the always-present ones. {@code signInAudit} gets a
     * line whenever wrong tokens start a lockout; {@code camera} tells /healthz whether the door camera delivers
     * (503 "camera down" when it has gone silent).
     */
    static ApiServer start(ApiSettings settings, ApiToken token, Metrics metrics,
                           java.util.function.Consumer<String> signInAudit, List<Routes.Group> groups,
                           Supplier<Optional<CameraStatus>> camera) {
        ObjectMapper mapper = objectMapper();
        BearerAuth auth = new BearerAuth(token, new FailureLimiter(settings.maxAuthFailures(), settings.failureWindow()),
                metrics, signInAudit);
        // endpoints are collected first and handed to Javalin while it is configured (Javalin 7 takes them only then)
        Routes routes = new Routes(new RequestBodies(mapper, settings.maxBodyBytes()));
        // risky settings are named here too, so a monitoring check sees them without reading the journal
        routes.get("/healthz", ctx -> {
            Map<String, Object> body = new LinkedHashMap<>();
            Optional<CameraStatus> status = camera.get();
            boolean up = status.map(CameraStatus::up).orElse(true);
            body.put("status", up ? "ok" : "camera down");
            status.ifPresent(c -> {
                Map<String, Object> cameraJson = new LinkedHashMap<>();
                cameraJson.put("up", c.up());
                cameraJson.put("lastFrameAt", c.lastFrameAt() == null ? null : c.lastFrameAt().toString());
                cameraJson.put("frames", c.frames());
                cameraJson.put("dropped", c.dropped());
                body.put("camera", cameraJson);
            });
            if (!metrics.warnings().isEmpty()) body.put("warnings", metrics.warnings());
            ctx.status(up ? 200 : 503).json(body);
        });
        // /metrics reveals who is enrolled and when the door opens (decision and unlock counts over time),
        // so a scraper must present the token like any other client.
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.render()));
        byte[] openapi = resource("/openapi.yaml");
        routes.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openapi));
        for (Routes.Group g : groups) g.addTo(routes);

        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            // a door board has little memory; requests beyond what these threads serve wait in the queue
            config.jetty.threadPool = new QueuedThreadPool(32, 4, 60_000);
            // a client that stalls its body loses it instead of a thread. No minimum data rate here: Jetty checks it
            // from the body's first byte even when the whole body has long arrived, and so failed honest requests
            // whose handler ran late; RequestBodies reads every body under its own pace rule (BodyReader)
            config.jetty.modifyHttpConfiguration(http -> http.setIdleTimeout(BODY_READ_TIMEOUT_MS));
            config.jetty.modifyServer(server -> {
                for (org.eclipse.jetty.server.Connector c : server.getConnectors())
                    if (c instanceof ServerConnector connector) connector.setIdleTimeout(CONNECTION_IDLE_TIMEOUT_MS);
            });
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.http.defaultContentType = "application/json";
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler()));
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/web";
                files.location = Location.CLASSPATH;
            });
            config.requestLogger.http((ctx, ms) -> {
                metrics.counter("doorman_http_requests_total", "HTTP requests by status code.", "status")
                        .inc(Integer.toString(ctx.statusCode()));
                metrics.summary("doorman_http_request_seconds", "HTTP request latency in seconds.")
                        .observe(ms / 1000.0);
            });
            if (settings.tls()) config.jetty.addConnector((server, httpConfig) -> tlsConnector(server, httpConfig, settings));

            // filters and error handlers, then every endpoint collected above
            config.routes.before(ctx -> {
                securityHeaders(ctx);
                if (!PUBLIC_PATHS.contains(ctx.path())) auth.check(ctx);
            });
            config.routes.after(ctx -> { // Jetty's static handler labels files "charset=null"; name the real encoding
                String type = ctx.res().getContentType();
                if (type != null && type.endsWith("charset=null")) ctx.contentType(type.replace("charset=null", "charset=utf-8"));
                UnreadBodies.settle(ctx);
            });
            config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                String incident = UUID.randomUUID().toString();
                log.error("Unhandled error {} on {} {}", incident, ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal error " + incident + " (details in the server log)");
            });
            config.routes.error(404, ctx -> {
                if (ctx.result() == null) error(ctx, 404, "no such resource");
            });

            routes.registerOn(config.routes);
        });

        warnIfExposed(settings);
        try {
            app.start(settings.host(), settings.port());
        } catch (RuntimeException e) {
            app.stop();
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            throw new IllegalStateException("cannot start the API on " + settings.host() + ":" + settings.port()
                    + (settings.tls() ? " with TLS keystore " + settings.keystore() : "") + ": " + root.getMessage(), e);
        }
        log.info("API listening on {}://{}:{}", settings.tls() ? "https" : "http", settings.host(), app.port());
        return new ApiServer(app, routes.added(), settings, groups);
    }

    public int port() {
        return app.port();
    }

    /** e.g. "https://127.0.0.1:8443" */
    public String baseUrl() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return (settings.tls() ? "https" : "http") + "://" + host + ":" + port();
    }

    /** "METHOD /path" for every endpoint, e.g. "GET /api/people/{id}". */
    public List<String> endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        for (Routes.Group g : groups) {
            if (g instanceof AutoCloseable part) {
                try {
                    part.close();
                } catch (Exception e) {
                    log.warn("closing {} failed: {}", g.getClass().getSimpleName(), e.toString());
                }
            }
        }
        app.stop();
    }

    static ObjectMapper objectMapper() {
        ObjectMapper mapper = new ObjectMapper();
        // {"name": 5} or {"enabled": "yes"} are mistakes, not values to convert
        mapper.coercionConfigDefaults().setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        return mapper
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
                .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; object-src 'none';"
                + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        ctx.header("Cache-Control", "no-store");
    }

    private static void error(Context ctx, int status, String message) {
        String text = message == null || message.isBlank() ? reason(status) : message;
        ctx.status(status).json(new ApiError(text, status));
    }

    private static String reason(int status) {
        HttpStatus s = HttpStatus.forStatus(status);
        return s == HttpStatus.UNKNOWN ? "error" : s.getMessage().toLowerCase(Locale.ROOT);
    }

    /** The error body every failed request gets. */
    public record ApiError(String error, int status) {
    }

    private static ServerConnector tlsConnector(org.eclipse.jetty.server.Server server, HttpConfiguration base,
                                                ApiSettings settings) {
        if (!Files.isReadable(settings.keystore()))
            throw new IllegalArgumentException("TLS keystore " + settings.keystore() + " is missing or unreadable");
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(settings.keystore().toAbsolutePath().toString());
        ssl.setKeyStorePassword(settings.keystorePassword());
        ssl.setKeyStoreType("PKCS12");
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        HttpConfiguration https = new HttpConfiguration(base);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // the door is reached by its LAN address, which a self-made cert rarely names
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server,
                new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        return connector;
    }

    private static void warnIfExposed(ApiSettings settings) {
        if (settings.tls()) return;
        try {
            if (!InetAddress.getByName(settings.host()).isLoopbackAddress())
                log.warn("API on {} without TLS: the token crosses the network in clear text;"
                        + " configure a PKCS12 keystore", settings.host());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown API host " + settings.host(), e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = ApiServer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }
}
