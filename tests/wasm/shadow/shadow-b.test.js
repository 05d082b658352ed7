'use strict';
// shadow-b.test.js: second half of the differential stress test (see shadow-suite.js).
require('./shadow-suite.js').shadowSuite(1, 2);
