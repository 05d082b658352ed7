'use strict';
// shadow-a.test.js: first half of the differential stress test (see shadow-suite.js).
require('./shadow-suite.js').shadowSuite(0, 2);
