package io.switchboard.core.linking.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.rest.api.DeveloperRequired;
import io.switchboard.core.store.api.AuditLog;
import io.switchboard.core.api.connector.AccessToken;
import io.switchboard.core.vault.api.TokenVault;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
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
 * {@code /admin/v1/apps/{app}/accounts}: the developer sees the app's linked accounts, unlinks
 * them, and (server to server, with the app secret) obtains a valid access token for one, as a
 * backend job of the add-in would. Every token handed out is recorded in the audit log.
 */
@Component(service = AccountAdminResource.class)
@JaxrsResource
@JSONRequired
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@DeveloperRequired
@Path("admin/v1/apps/{app}/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountAdminResource {
    private static final int MAX_PAGE = 200;

    private final TokenVault vault;
    private final AuditLog audit;

    @Activate
    public AccountAdminResource(@Reference TokenVault vault, @Reference AuditLog audit) {
        this.vault = vault;
        this.audit = audit;
    }

    @GET
    public Map<String, Object> list(@PathParam("app") String app,
                                    @QueryParam("after") String after, @QueryParam("limit") Integer limit) {
        int size = limit == null ? 50 : Math.max(1, Math.min(MAX_PAGE, limit));
        List<TokenVault.Account> page = vault.appAccounts(app, after, size);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", page.stream().map(a -> AccountViews.json(a, true)).toList());
        out.put("next", page.size() == size ? page.get(page.size() - 1).id() : null);
        return out;
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("app") String app,
                                   @PathParam("id") String id) {
        return AccountViews.json(vault.appAccount(app, id).orElseThrow(() -> ProblemException.notFound("no such account")), true);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("app") String app, @PathParam("id") String id) {
        if (!vault.unlink(app, null, id)) {
            throw ProblemException.notFound("no such account");
        }
        return Response.noContent().build();
    }

    /**
     * Revokes the account's access and keeps the account ({@code REVOKED} until the user links it
     * again): the grant is revoked at the provider where possible and the tokens are dropped.
     */
    @POST
    @Path("{id}/revoke")
    public Map<String, Object> revoke(@PathParam("app") String app, @PathParam("id") String id) {
        if (!vault.revoke(app, id)) {
            throw ProblemException.notFound("no such account");
        }
        return get(app, id);
    }

    /** A valid access token for the developer's own server; refreshed first when it expires soon. */
    @POST
    @Path("{id}/access-token")
    public Response accessToken(@PathParam("app") String app,
                                @PathParam("id") String id) {
        AccessToken token = vault.accessToken(app, id);
        audit.record(app, "developer", "account.token_issued", id, null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accessToken", token.value());
        out.put("expiresAt", token.expiresAt() == null ? null : token.expiresAt().toString());
        out.put("baseUrl", token.baseUrl());
        out.put("version", token.version());
        return Response.ok(out).header("Cache-Control", "no-store").build();
    }
}
