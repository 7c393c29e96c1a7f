/**
 * The node's side of the stream manager (openapi.yaml of stream-manager/): registration, heartbeats
 * and deregistration ({@link dev.cascade.node.manager.ManagerClient}), routes for relay links
 * ({@link dev.cascade.node.manager.ManagerRoutes}), both over one HTTP link that fails over between
 * the configured managers ({@link dev.cascade.node.manager.ManagerApi}).
 */
package dev.cascade.node.manager;
