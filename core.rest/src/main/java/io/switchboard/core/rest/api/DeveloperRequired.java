package io.switchboard.core.rest.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import javax.ws.rs.NameBinding;

/**
 * Only the developer's server (the secret of the app named by the path parameter {@code app}) or
 * the operator (the operator token) may call this resource class or method: 401 without either,
 * 404 when the app does not exist. The annotated resource must have an {@code {app}} path parameter.
 * The edge resolves the {@link Caller} once, before the resource runs.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface DeveloperRequired {}
