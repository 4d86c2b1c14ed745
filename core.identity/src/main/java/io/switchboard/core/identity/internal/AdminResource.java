package io.switchboard.core.identity.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.util.Cursors;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.identity.internal.IdentityEntities.OrganizationEntity;
import io.switchboard.core.identity.internal.IdentityEntities.UserEntity;
import io.switchboard.core.rest.api.OperatorRequired;
import io.switchboard.core.store.api.Store;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.persistence.EntityManagerFactory;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /admin/v1}: operators manage apps and see their users and organizations. Every call
 * needs {@code Authorization: Bearer <SWITCHBOARD_ADMIN_TOKEN>}; without a configured token the
 * admin API answers 403 to everything.
 */
@Component(service = AdminResource.class)
@JaxrsResource
@JSONRequired
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@OperatorRequired
@Path("admin/v1/apps")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {
    private static final int MAX_PAGE = 200;

    private final AppRepository apps;
    private final SessionService sessions;
    private final Store store;
    private final EntityManagerFactory unit;

    @Activate
    public AdminResource(@Reference AppRepository apps, @Reference SessionService sessions, @Reference Store store,
                         @Reference(target = "(osgi.unit.name=switchboard.identity)") EntityManagerFactory unit) {
        this.apps = apps;
        this.sessions = sessions;
        this.store = store;
        this.unit = unit;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(com.fasterxml.jackson.databind.JsonNode request) {
        if (request == null || !request.isObject()) {
            throw ProblemException.badRequest("a JSON object with name and settings is required");
        }
        AppRepository.WithSecret created = apps.create(RequestJson.text(request, "name"), RequestJson.settings(request.get("settings")));
        Map<String, Object> body = IdentityViews.app(created.app());
        body.put("secret", created.secret());
        return Response.status(201).entity(body).cacheControl(SessionResource.noStore()).build();
    }

    @GET
    public Map<String, Object> list() {
        return Map.of("items", apps.list().stream().map(IdentityViews::app).toList());
    }

    @GET
    @Path("{app}")
    public Map<String, Object> get(@PathParam("app") String appId) {
        return IdentityViews.app(apps.get(appId));
    }

    @PUT
    @Path("{app}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> update(@PathParam("app") String appId,
                                      com.fasterxml.jackson.databind.JsonNode request) {
        if (request == null || !request.isObject()) {
            throw ProblemException.badRequest("a JSON object is required");
        }
        return IdentityViews.app(apps.update(appId, RequestJson.text(request, "name"), RequestJson.settings(request.get("settings"))));
    }

    @POST
    @Path("{app}/secret")
    public Response rotateSecret(@PathParam("app") String appId) {
        AppRepository.WithSecret rotated = apps.rotateSecret(appId);
        return Response.ok(Map.of("id", appId, "secret", rotated.secret())).cacheControl(SessionResource.noStore()).build();
    }

    @DELETE
    @Path("{app}")
    public Response delete(@PathParam("app") String appId) {
        apps.delete(appId);
        return Response.noContent().build();
    }

    @GET
    @Path("{app}/users")
    public Map<String, Object> users(@PathParam("app") String appId,
                                     @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return listPage(appId, UserEntity.class, "UserEntity", IdentityViews::user, limit, cursor);
    }

    @GET
    @Path("{app}/organizations")
    public Map<String, Object> organizations(@PathParam("app") String appId,
                                             @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return listPage(appId, OrganizationEntity.class, "OrganizationEntity", IdentityViews::organization, limit, cursor);
    }

    @DELETE
    @Path("{app}/users/{user}/sessions")
    public Map<String, Object> revokeSessions(@PathParam("app") String appId,
                                              @PathParam("user") String userId) {
        apps.get(appId);
        boolean known = store.transaction(unit, em -> {
            UserEntity user = em.find(UserEntity.class, userId);
            return user != null && user.appId.equals(appId);
        });
        if (!known) {
            throw ProblemException.notFound("no user " + userId + " in app " + appId);
        }
        return Map.of("revoked", sessions.revokeAll(appId, userId));
    }

    /** One page of an app's rows, oldest first; the cursor is opaque to callers. */
    private <E> Map<String, Object> listPage(String appId, Class<E> type, String entity,
                                             java.util.function.Function<E, Map<String, Object>> view, Integer limit, String cursor) {
        apps.get(appId);
        int size = Cursors.limit(limit, 50, MAX_PAGE);
        int offset = Cursors.offset(cursor);
        List<E> rows = store.transaction(unit, em -> em.createQuery(
                "SELECT e FROM " + entity + " e WHERE e.appId = :app ORDER BY e.createdAt, e.id", type)
                .setParameter("app", appId).setFirstResult(offset).setMaxResults(size + 1).getResultList());
        return page(rows.stream().limit(size).map(view).toList(), rows.size() > size, offset + size);
    }

    private static Map<String, Object> page(List<Map<String, Object>> items, boolean more, int next) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("nextCursor", more ? Cursors.encode(String.valueOf(next)) : null);
        return body;
    }
}
