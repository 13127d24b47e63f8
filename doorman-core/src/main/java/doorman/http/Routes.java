package doorman.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;

import java.util.ArrayList;
import java.util.List;

/**
 * The API's endpoints, collected before the server starts. A route class implements {@link Group} and adds its
 * endpoints in {@link Group#addTo}; {@code ApiServer} hands the collected endpoints to Javalin while configuring it
 * (Javalin 7 accepts handlers only then) and keeps the list, so a test can check openapi.yaml covers every one.
 */
final class Routes {

    /** A set of related endpoints, e.g. everything under /api/people: one class, one method. */
    interface Group {
        void addTo(Routes routes);
    }

    private record Endpoint(HandlerType method, String path, Handler handler) {
    }

    private final RequestBodies bodies;
    private final List<Endpoint> endpoints = new ArrayList<>();

    Routes(RequestBodies bodies) {
        this.bodies = bodies;
    }

    RequestBodies bodies() {
        return bodies;
    }

    void get(String path, Handler h) {
        add(HandlerType.GET, path, h);
    }

    void post(String path, Handler h) {
        add(HandlerType.POST, path, h);
    }

    void patch(String path, Handler h) {
        add(HandlerType.PATCH, path, h);
    }

    void delete(String path, Handler h) {
        add(HandlerType.DELETE, path, h);
    }

    private void add(HandlerType method, String path, Handler h) {
        endpoints.add(new Endpoint(method, path, h));
    }

    /** Registers every endpoint with Javalin; called once, inside {@code Javalin.create}. */
    void registerOn(JavalinDefaultRoutingApi javalin) {
        for (Endpoint e : endpoints) javalin.addHttpHandler(e.method(), e.path(), e.handler());
    }

    /** "METHOD /path/{param}" for every endpoint added. */
    List<String> added() {
        return endpoints.stream().map(e -> e.method() + " " + e.path()).toList();
    }
}
