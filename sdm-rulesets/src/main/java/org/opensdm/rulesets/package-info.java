/**
 * The shipped reference rulesets, offered to the engine by
 * {@link org.opensdm.rulesets.ShippedRulesets} through ServiceLoader.
 */
package org.opensdm.rulesets;
