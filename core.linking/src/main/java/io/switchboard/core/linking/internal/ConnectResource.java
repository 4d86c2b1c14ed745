package io.switchboard.core.linking.internal;

import io.switchboard.core.api.ProblemException;
import io.switchboard.core.api.Switchboard;
import io.switchboard.core.rest.api.Caller;
import io.switchboard.core.rest.api.SessionRequired;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.CookieParam;
import javax.ws.rs.FormParam;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /v1/connect}: the pages of the linking dialog and the ticket that opens it.
 *
 * <p>Results reach the add-in either through {@code Office.context.ui.messageParent} (no
 * {@code returnUrl}: an Office dialog) or as a redirect to the app's allow-listed
 * {@code returnUrl} with {@code status}, {@code accountId} or {@code error} in the query
 * (Chrome's {@code launchWebAuthFlow} ends at {@code https://<id>.chromiumapp.org/...}).
 */
@Component(service = ConnectResource.class)
@JaxrsResource
@JSONRequired
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@Path("v1/connect")
public class ConnectResource {
    static final String BINDING_COOKIE = "sb_link";

    private final LinkService links;

    @Activate
    public ConnectResource(@Reference LinkService links) {
        this.links = links;
    }

    @POST
    @Path("{connector}/tickets")
    @Produces(MediaType.APPLICATION_JSON)
    @SessionRequired
    public Map<String, Object> ticket(@Context SecurityContext security, @PathParam("connector") String connector,
                                      @Context UriInfo uri) {
        LinkService.Ticket t = links.ticket(Caller.of(security), connector);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ticket", t.ticket());
        out.put("expiresAt", t.expiresAt().toString());
        out.put("startUrl", links.publicUrl(uri.getBaseUri().toString()) + "/v1/connect/" + connector + "/start?ticket=" + t.ticket());
        return out;
    }

    /** Opened by the dialog; Office may append {@code _host_info}, which is ignored. */
    @GET
    @Path("{connector}/start")
    public Response start(@PathParam("connector") String connector, @QueryParam("ticket") String ticket,
                          @QueryParam("returnUrl") String returnUrl, @Context UriInfo uri) {
        try {
            LinkService.Started s = links.start(connector, ticket, returnUrl, uri.getBaseUri().toString());
            if (s.passwordForm()) {
                return withBinding(LinkingPages.passwordForm(formAction(connector), s.state(), s.connectorName(), null, null,
                        s.userLabel(), s.appName()), s.binding(), uri);
            }
            return withBinding(Response.status(302).location(URI.create(s.location())).header("Cache-Control", "no-store")
                    .header("Referrer-Policy", "no-referrer").build(), s.binding(), uri);
        } catch (LinkService.LinkFailure f) {
            return failure(f);
        }
    }

    @POST
    @Path("{connector}/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response password(@PathParam("connector") String connector, @FormParam("state") String state,
                             @FormParam("instance") String instance, @FormParam("username") String username,
                             @FormParam("password") String password, @CookieParam(BINDING_COOKIE) String binding,
                             @HeaderParam("Origin") String origin, @Context UriInfo uri) {
        String self = links.publicUrl(uri.getBaseUri().toString());
        if (origin != null && !"null".equals(origin) && !sameOrigin(origin, self, uri)) {
            return failure(new LinkService.LinkFailure("cross_site_request", null, 403));
        }
        try {
            LinkService.Linked linked = links.password(state, binding, instance, username, password);
            return success(linked);
        } catch (LinkService.PasswordRetry retry) {
            return LinkingPages.passwordForm(formAction(connector), state, connector, retry.getMessage(), instance);
        } catch (LinkService.LinkFailure f) {
            return failure(f);
        }
    }

    @GET
    @Path("callback")
    public Response callback(@QueryParam("state") String state, @QueryParam("code") String code, @QueryParam("error") String error,
                             @CookieParam(BINDING_COOKIE) String binding) {
        try {
            return success(links.callback(state, code, error, binding));
        } catch (LinkService.LinkFailure f) {
            return failure(f);
        } catch (ProblemException p) {
            return failure(new LinkService.LinkFailure(p.slug().replace('-', '_'), null, p.status()));
        }
    }

    private static String formAction(String connector) {
        return "/v1/connect/" + connector + "/password";
    }

    private static boolean sameOrigin(String origin, String self, UriInfo uri) {
        URI base = uri.getBaseUri();
        String request = base.getScheme() + "://" + base.getAuthority();
        return origin.equals(request) || self.startsWith(origin) && (self.length() == origin.length() || self.charAt(origin.length()) == '/');
    }

    private static Response success(LinkService.Linked linked) {
        if (linked.returnUrl() != null) {
            return redirect(linked.returnUrl(), "status=ok&accountId=" + linked.accountId());
        }
        return LinkingPages.result(200, linked.accountId(), null);
    }

    private static Response failure(LinkService.LinkFailure f) {
        if (f.returnUrl != null) {
            return redirect(f.returnUrl, "status=error&error=" + java.net.URLEncoder.encode(f.error, java.nio.charset.StandardCharsets.UTF_8));
        }
        return LinkingPages.result(f.status, null, f.error);
    }

    private static Response redirect(String returnUrl, String query) {
        return Response.status(302).location(URI.create(returnUrl + (returnUrl.contains("?") ? "&" : "?") + query))
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
    }

    private static Response withBinding(Response r, String binding, UriInfo uri) {
        boolean secure = "https".equalsIgnoreCase(uri.getBaseUri().getScheme());
        return Response.fromResponse(r).header("Set-Cookie", BINDING_COOKIE + "=" + binding
                + "; Path=/v1/connect/; Max-Age=600; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")).build();
    }
}
