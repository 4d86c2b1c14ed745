package io.switchboard.core.rest.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import javax.ws.rs.NameBinding;

/**
 * Only the operator (the operator token) may call this resource class or method: 403 while the
 * server has no operator token configured, 401 without it.
 * The edge resolves the {@link Caller} once, before the resource runs.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface OperatorRequired {}
