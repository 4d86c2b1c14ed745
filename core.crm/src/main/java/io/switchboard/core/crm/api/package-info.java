/**
 * The unified CRM SPI: what a CRM connector implements (besides its
 * {@link io.switchboard.core.api.connector.Connector}) so that {@code /v1/crm/{accountId}/...}
 * answers the same JSON shapes whatever the CRM. A {@link io.switchboard.core.crm.api.CrmConnector}
 * maps unified records to the provider's objects and back; Switchboard handles sessions, tokens,
 * one refresh and retry on 401, cursors and error mapping. Register it as an OSGi service with
 * the same {@code connector.id} as the connector.
 */
@Export
@Version("1.0.0")
package io.switchboard.core.crm.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
