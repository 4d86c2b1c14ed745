package io.switchboard.core.tokens.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.identity.api.SessionPrincipal;
import io.switchboard.core.identity.api.Sessions;
import java.util.List;
import java.util.Map;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code /v1/accounts}: the signed-in user's linked accounts. Another user's account is 404. */
@Component(service = AccountResource.class)
@JaxrsResource
@JSONRequired
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@Path("v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {
    private final TokenVaultService vault;
    private final Sessions sessions;

    @Activate
    public AccountResource(@Reference TokenVaultService vault, @Reference Sessions sessions) {
        this.vault = vault;
        this.sessions = sessions;
    }

    @GET
    public Map<String, Object> list(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth) {
        SessionPrincipal p = sessions.authenticate(auth);
        List<Map<String, Object>> items = vault.accounts(p.appId(), p.userId()).stream().map(a -> AccountViews.json(a, false)).toList();
        return Map.of("items", items);
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("id") String id) {
        SessionPrincipal p = sessions.authenticate(auth);
        return AccountViews.json(vault.account(p.appId(), p.userId(), id)
                .orElseThrow(() -> ProblemException.notFound("no such account")), false);
    }

    /** Unlinks: revoked at the provider where it can be, tokens deleted here in any case. */
    @DELETE
    @Path("{id}")
    public Response delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String auth, @PathParam("id") String id) {
        SessionPrincipal p = sessions.authenticate(auth);
        if (!vault.unlink(p.appId(), p.userId(), id)) {
            throw ProblemException.notFound("no such account");
        }
        return Response.noContent().build();
    }
}
