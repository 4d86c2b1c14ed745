package io.switchboard.core.rest.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import javax.ws.rs.NameBinding;

/**
 * Only the add-in's Switchboard session ({@code Authorization: Bearer <access token>}) may call
 * this resource class or method: without a valid one the answer is 401 with a
 * {@code WWW-Authenticate} challenge.
 * The edge resolves the {@link Caller} once, before the resource runs.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface SessionRequired {}
