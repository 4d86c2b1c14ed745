package io.switchboard.core.vault.internal;

import io.switchboard.core.api.Switchboard;
import io.switchboard.core.rest.api.OperatorRequired;
import io.switchboard.core.store.api.AuditLog;
import io.switchboard.core.vault.api.SealedRows;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
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
    private final AuditLog audit;

    /** Every table with sealed secrets: the vault's accounts, linking's client secrets, and those of bundles added later. */
    @Reference(service = SealedRows.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private final List<SealedRows> tables = new CopyOnWriteArrayList<>();

    @Activate
    public VaultAdminResource(@Reference AuditLog audit) {
        this.audit = audit;
    }

    /** The count of re-sealed rows per table, by the table's name. */
    @POST
    @Path("rewrap")
    public Map<String, Object> rewrap() {
        Map<String, Object> out = new TreeMap<>();
        for (SealedRows table : tables) {
            out.merge(table.name(), table.rewrap(), (a, b) -> (Integer) a + (Integer) b);
        }
        audit.record(null, "operator", "vault.rewrap", null, out.toString());
        return out;
    }
}
