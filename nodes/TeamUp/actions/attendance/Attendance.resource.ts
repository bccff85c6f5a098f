import { defineResource } from '../../../shared/router';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const attendance = defineResource({ name: 'Attendance', operations: { get, getAll }, default: 'getAll' });
