package org.taulab.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionTest {
    @Test
    void aSessionRemembersOncePerKeyAndAFreshOneStartsEmpty() {
        Session.Key<String> key = Session.key("greeting", String.class);
        Session first = Session.begin();
        AtomicInteger made = new AtomicInteger();
        assertEquals("hello 1", first.remember(key, () -> "hello " + made.incrementAndGet()));
        assertEquals("hello 1", first.remember(key, () -> "hello " + made.incrementAndGet()));
        assertEquals(1, made.get());
        assertSame(first, Session.current());

        Session second = Session.begin();
        assertSame(second, Session.current());
        assertNull(second.get(key), "a new session does not see the old one's state");
        assertEquals("hello 2", second.remember(key, () -> "hello " + made.incrementAndGet()));
        assertEquals("hello 1", first.get(key), "the old session keeps its own");
        second.set(key, null);
        assertNull(second.get(key));
    }

    @Test
    void makingOneValueMayRememberAnother() {
        Session s = Session.begin();
        Session.Key<String> outer = Session.key("outer", String.class);
        Session.Key<String> inner = Session.key("inner", String.class);
        assertEquals("outer of inner", s.remember(outer, () -> "outer of " + s.remember(inner, () -> "inner")));
        assertEquals("inner", s.get(inner));
    }

    @Test
    void keysOfTheSameNameButAnotherTypeAreDifferentSlots() {
        Session s = Session.begin();
        s.set(Session.key("x", String.class), "text");
        s.set(Session.key("x", Integer.class), 7);
        assertEquals("text", s.get(Session.key("x", String.class)));
        assertEquals(7, s.get(Session.key("x", Integer.class)));
    }
}
