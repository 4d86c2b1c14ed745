package io.switchboard.core.linking.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.rest.api.Caller;
import io.switchboard.core.rest.api.SessionRequired;
import io.switchboard.core.vault.api.TokenVault;
import java.util.List;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
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
@SessionRequired
@Path("v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {
    private final TokenVault vault;
    private final ConnectorRegistry connectors;
    private final SelfLinks selfLinks;

    @Activate
    public AccountResource(@Reference TokenVault vault, @Reference ConnectorRegistry connectors, @Reference SelfLinks selfLinks) {
        this.vault = vault;
        this.connectors = connectors;
        this.selfLinks = selfLinks;
    }

    /** {@code connector} and {@code assertion}: the add-in's access token for the app's own API. */
    public record SelfLink(String connector, String assertion) {}

    /**
     * Links the signed-in user's own account without a consent screen, from the token the add-in
     * holds for the app's API (see {@link SelfLinks}); 201 with the account.
     */
    @POST
    @Path("self")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response linkSelf(@Context SecurityContext security, SelfLink body) {
        Caller p = Caller.of(security);
        if (body == null || body.connector() == null || body.connector().isBlank()) {
            throw ProblemException.badRequest("connector is required");
        }
        String id = selfLinks.link(p, body.connector(), body.assertion());
        return Response.status(201).entity(view(p, vault.account(p.appId(), p.userId(), id).orElseThrow())).build();
    }

    @GET
    public Map<String, Object> list(@Context SecurityContext security) {
        Caller p = Caller.of(security);
        List<Map<String, Object>> items = vault.accounts(p.appId(), p.userId()).stream().map(a -> view(p, a)).toList();
        return Map.of("items", items);
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@Context SecurityContext security, @PathParam("id") String id) {
        Caller p = Caller.of(security);
        return view(p, vault.account(p.appId(), p.userId(), id).orElseThrow(() -> ProblemException.notFound("no such account")));
    }

    /** The account with {@code self}: whether it is the signed-in user's own (its connector tells, from the session's identity). */
    private Map<String, Object> view(Caller caller, TokenVault.Account a) {
        Object issuer = caller.claims().get("idp");
        Object subject = caller.claims().get("ext");
        boolean self = issuer != null && subject != null && connectors.find(a.connectorId())
                .map(c -> c.samePerson(a.externalId(), String.valueOf(issuer), String.valueOf(subject))).orElse(false);
        return AccountViews.json(a, false, self);
    }

    /** Unlinks: revoked at the provider where it can be, tokens deleted here in any case. */
    @DELETE
    @Path("{id}")
    public Response delete(@Context SecurityContext security, @PathParam("id") String id) {
        Caller p = Caller.of(security);
        if (!vault.unlink(p.appId(), p.userId(), id)) {
            throw ProblemException.notFound("no such account");
        }
        return Response.noContent().build();
    }
}
