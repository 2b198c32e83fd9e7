from parclerk.cli import main

raise SystemExit(main())
