package doorman.http;

import doorman.audit.AdminAudit;
import doorman.gallery.Gallery;
import doorman.gallery.Person;
import doorman.gallery.Template;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.HashMap;
import java.util.Map;

/** /api/people: create, list, read, rename or enable, delete with all templates. */
final class PeopleRoutes implements Routes.Group {

    record NewPerson(String name) {
    }

    /** Either or both; absent fields are left as they are. */
    record PersonChange(String name, Boolean enabled) {
    }

    private final Gallery gallery;
    private final PersonLocks locks;
    private final AdminAudit audit;
    private RequestBodies bodies;

    PeopleRoutes(Gallery gallery, PersonLocks locks, AdminAudit audit) {
        this.gallery = gallery;
        this.locks = locks;
        this.audit = audit;
    }

    @Override
    public void addTo(Routes routes) {
        bodies = routes.bodies();
        routes.get("/api/people", this::list);
        routes.post("/api/people", this::create);
        routes.get("/api/people/{id}", this::read);
        routes.patch("/api/people/{id}", this::change);
        routes.delete("/api/people/{id}", this::delete);
    }

    private void list(Context ctx) {
        Gallery.Snapshot snapshot = gallery.snapshot();
        Map<Long, Integer> faces = new HashMap<>();
        for (Template t : snapshot.templates()) faces.merge(t.personId(), 1, Integer::sum);
        java.util.Set<Long> pictured = gallery.templatesWithThumbnails();
        Map<Long, Long> pictures = new HashMap<>();
        for (Template t : snapshot.templates()) if (pictured.contains(t.id())) pictures.merge(t.personId(), t.id(), Math::min);
        ctx.json(snapshot.people().stream().map(p -> Views.PersonView.of(p, faces.getOrDefault(p.id(), 0), pictures.get(p.id()))).toList());
    }

    private void create(Context ctx) {
        NewPerson body = bodies.json(ctx, NewPerson.class);
        if (body.name() == null) throw new BadRequestResponse("field 'name' is required");
        Person person = GalleryCalls.call(() -> gallery.addPerson(body.name()));
        audit.record(person.id(), person.name(), "person added (API from " + ctx.ip() + ")");
        ctx.status(HttpStatus.CREATED).header("Location", "/api/people/" + person.id()).json(Views.PersonView.of(person, 0));
    }

    private void read(Context ctx) {
        long id = GalleryCalls.id(ctx, "id");
        ctx.json(view(id));
    }

    private void change(Context ctx) {
        long id = GalleryCalls.id(ctx, "id");
        PersonChange body = bodies.json(ctx, PersonChange.class);
        if (body.name() == null && body.enabled() == null)
            throw new BadRequestResponse("nothing to change: send 'name' and/or 'enabled'");
        locks.withPerson(id, () -> GalleryCalls.call(() -> {
            String before = gallery.person(id).map(Person::name).orElse(null);
            if (body.name() != null) {
                Person renamed = gallery.rename(id, body.name());
                audit.record(id, renamed.name(), "renamed from " + before + " (API from " + ctx.ip() + ")");
            }
            if (body.enabled() != null) {
                Person changed = gallery.setEnabled(id, body.enabled());
                audit.record(id, changed.name(), (changed.enabled() ? "enabled" : "disabled") + " (API from " + ctx.ip() + ")");
            }
            return null;
        }));
        ctx.json(view(id));
    }

    private void delete(Context ctx) {
        long id = GalleryCalls.id(ctx, "id");
        String name = GalleryCalls.call(() -> gallery.person(id).map(Person::name).orElse(null));
        int faces = locks.withPerson(id, () -> GalleryCalls.call(() -> gallery.removePerson(id)));
        audit.record(id, name, "person removed with " + faces + " face(s) (API from " + ctx.ip() + ")");
        ctx.status(HttpStatus.NO_CONTENT);
    }

    private Views.PersonView view(long id) {
        return GalleryCalls.call(() -> {
            Person p = gallery.person(id).orElseThrow(() -> new java.util.NoSuchElementException("no person with id " + id));
            java.util.List<Template> faces = gallery.templates(id);
            return Views.PersonView.of(p, faces.size(), Views.thumbnailFace(faces, gallery.templatesWithThumbnails()));
        });
    }

}
