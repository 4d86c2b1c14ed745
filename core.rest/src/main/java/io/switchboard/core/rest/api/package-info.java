/**
 * The HTTP edge every endpoint shares. Resources declare who may call them with one of the
 * name-binding annotations ({@link io.switchboard.core.rest.api.SessionRequired},
 * {@link io.switchboard.core.rest.api.DeveloperRequired}, {@link io.switchboard.core.rest.api.OperatorRequired});
 * the edge authenticates the caller once, before the resource runs, and hands it over as the
 * request's {@link javax.ws.rs.core.SecurityContext} principal, a {@link io.switchboard.core.rest.api.Caller}.
 * Resources never read the {@code Authorization} header themselves.
 *
 * <p>The edge does not know how credentials are checked: the bundle that owns sessions and apps
 * registers a {@link io.switchboard.core.rest.api.CallerResolver}.
 */
@Export
@Version("1.2.0")
package io.switchboard.core.rest.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
