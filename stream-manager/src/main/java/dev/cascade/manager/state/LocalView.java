package dev.cascade.manager.state;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.MapEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.map.listener.MapClearedListener;
import com.hazelcast.map.listener.MapEvictedListener;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * This member's copy of a cluster map, kept current by an entry listener, so that reads on the
 * request path (placement, auth, lists) never wait for another member: a placement answer must not
 * depend on a member that may have just died. Writes still go to the map through entry processors;
 * the copy sees them a moment later.
 *
 * <p>Events can be lost when a member dies mid-migration, so {@link #resync} re-reads the whole map;
 * the stream manager calls it when the membership changes and every 5 minutes.
 */
public final class LocalView<K, V> implements EntryAddedListener<K, V>, EntryUpdatedListener<K, V>,
        EntryRemovedListener<K, V>, EntryEvictedListener<K, V>, EntryExpiredListener<K, V>, MapClearedListener,
        MapEvictedListener {
    private final IMap<K, V> map;
    private final ConcurrentHashMap<K, V> data = new ConcurrentHashMap<>();
    /** Called with (old, new) on every change this member hears of; either may be null. */
    private final BiConsumer<V, V> onChange;
    private UUID registration;

    public LocalView(IMap<K, V> map, BiConsumer<V, V> onChange) {
        this.map = map;
        this.onChange = onChange;
    }

    public LocalView<K, V> start() {
        registration = map.addEntryListener(this, true);
        resync();
        return this;
    }

    /** Replaces the copy with the map's current content. */
    public void resync() {
        Map<K, V> fresh = Map.copyOf(map);
        for (Map.Entry<K, V> e : fresh.entrySet()) {
            V old = data.put(e.getKey(), e.getValue());
            if (old == null || !old.equals(e.getValue())) {
                onChange.accept(old, e.getValue());
            }
        }
        for (K k : data.keySet()) {
            if (!fresh.containsKey(k)) {
                V old = data.remove(k);
                if (old != null) {
                    onChange.accept(old, null);
                }
            }
        }
    }

    public V get(K key) {
        return data.get(key);
    }

    public Collection<V> values() {
        return data.values();
    }

    public Map<K, V> asMap() {
        return java.util.Collections.unmodifiableMap(data);
    }

    public int size() {
        return data.size();
    }

    public IMap<K, V> map() {
        return map;
    }

    /** Applies a value this member just wrote, so the writer's next read sees it before the event arrives. */
    public void written(K key, V value) {
        V old = value == null ? data.remove(key) : data.put(key, value);
        if (old != value) {
            onChange.accept(old, value);
        }
    }

    @Override
    public void entryAdded(EntryEvent<K, V> e) {
        put(e);
    }

    @Override
    public void entryUpdated(EntryEvent<K, V> e) {
        put(e);
    }

    private void put(EntryEvent<K, V> e) {
        V old = data.put(e.getKey(), e.getValue());
        onChange.accept(old, e.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<K, V> e) {
        drop(e.getKey());
    }

    @Override
    public void entryEvicted(EntryEvent<K, V> e) {
        drop(e.getKey());
    }

    @Override
    public void entryExpired(EntryEvent<K, V> e) {
        drop(e.getKey());
    }

    private void drop(K key) {
        V old = data.remove(key);
        if (old != null) {
            onChange.accept(old, null);
        }
    }

    @Override
    public void mapCleared(MapEvent event) {
        resync();
    }

    @Override
    public void mapEvicted(MapEvent event) {
        resync();
    }

    public void stop() {
        if (registration != null) {
            map.removeEntryListener(registration);
        }
    }
}
