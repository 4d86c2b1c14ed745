package io.switchboard.core.tokens.internal;

import io.switchboard.core.api.Switchboard;
import io.switchboard.core.rest.api.OperatorRequired;
import io.switchboard.core.store.api.AuditLog;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code POST /admin/v1/vault/rewrap} (operator token only): after a new master key is put first
 * in {@code SWITCHBOARD_MASTER_KEY}, re-seals every stored secret under it while the server keeps
 * serving; afterwards the old key can be dropped from the list.
 */
@Component(service = VaultAdminResource.class)
@JaxrsResource
@JSONRequired
@JaxrsApplicationSelect(Switchboard.JAXRS_APPLICATION_SELECT)
@OperatorRequired
@Path("admin/v1/vault")
@Produces(MediaType.APPLICATION_JSON)
public class VaultAdminResource {
    private final TokenVaultService vault;
    private final AppConnectorService appConnectors;
    private final AuditLog audit;

    @Activate
    public VaultAdminResource(@Reference TokenVaultService vault, @Reference AppConnectorService appConnectors, @Reference AuditLog audit) {
        this.vault = vault;
        this.appConnectors = appConnectors;
        this.audit = audit;
    }

    @POST
    @Path("rewrap")
    public Map<String, Object> rewrap() {
        int accounts = vault.rewrap();
        int clients = appConnectors.rewrap();
        audit.record(null, "operator", "vault.rewrap", null, accounts + " accounts, " + clients + " client secrets");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accounts", accounts);
        out.put("clientSecrets", clients);
        return out;
    }
}
