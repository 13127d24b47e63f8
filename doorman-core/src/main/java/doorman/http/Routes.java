package doorman.http;

import io.javalin.Javalin;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

import java.util.ArrayList;
import java.util.List;

/** Adds endpoints to the server and remembers them, so a test can check openapi.yaml covers every one. */
final class Routes {

    /** A set of related endpoints, e.g. everything under /api/people. */
    interface Group {
        void addTo(Routes routes);
    }

    private final Javalin app;
    private final RequestBodies bodies;
    private final List<String> added = new ArrayList<>();

    Routes(Javalin app, RequestBodies bodies) {
        this.app = app;
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
        app.addHttpHandler(method, path, h);
        added.add(method + " " + path);
    }

    /** "METHOD /path/{param}" for every endpoint added. */
    List<String> added() {
        return List.copyOf(added);
    }
}
