/* A shared object that is not a tend plugin: it exports a function, but not
 * the entry point. */
__attribute__((visibility("default"))) int tend_test_not_a_plugin(void) { return 42; }
