/** Test support shared by every module's tests through the engine's test jar: the run's seed. */
package dev.loupe.testing;
